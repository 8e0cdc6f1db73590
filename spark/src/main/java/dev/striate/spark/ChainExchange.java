package dev.striate.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.function.Function;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.BarrierTaskInfo;

/**
 * The direct gradient exchange among the tasks of one barrier stage (docs/spark.md): a TCP chain
 * {@code 0 - 1 - ... - (T-1)}. Per step the partial sums flow down the chain, each task adding its
 * own gradients ({@code ((g0 + g1) + g2) + ...}, the order of the single-JVM trainer, tasks without
 * a slice skipped, not added as zeros), and the total flows back up; both directions are pipelined
 * in chunks, so a task sends and receives about {@code 2 x 4P} bytes per step whatever {@code T}.
 * Spark's {@code allGather} is used once, at the start, to learn the neighbours' ports (the hosts
 * come from {@link BarrierTaskContext#getTaskInfos()}); every connection must present the run's
 * random token and the expected task number, or it is closed.
 */
final class ChainExchange implements Closeable {
    private static final int CHUNK = 16_384;                 // floats per chunk: 64 KB
    static final int TIMEOUT_MS = 600_000;
    private static final int HELLO_MS = 10_000;
    private final int task;
    private final int tasks;
    private final Socket left;
    private final Socket right;
    private final DataInputStream fromLeft;
    private final DataOutputStream toLeft;
    private final DataInputStream fromRight;
    private final DataOutputStream toRight;
    private final byte[] bytes = new byte[CHUNK * Float.BYTES];
    private final ByteBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    private final float[] chunk = new float[CHUNK];

    /** The per-task numbers that travel with the gradients: which tasks had a slice, their loss and correct count. */
    static final class Totals {
        final boolean[] present;
        final double[] loss;
        final int[] correct;

        Totals(int tasks) {
            present = new boolean[tasks];
            loss = new double[tasks];
            correct = new int[tasks];
        }
    }

    private ChainExchange(int task, int tasks, Socket left, Socket right) throws IOException {
        this.task = task;
        this.tasks = tasks;
        this.left = left;
        this.right = right;
        fromLeft = left == null ? null : new DataInputStream(new BufferedInputStream(left.getInputStream(), 1 << 16));
        toLeft = left == null ? null : new DataOutputStream(new BufferedOutputStream(left.getOutputStream(), 1 << 16));
        fromRight = right == null ? null : new DataInputStream(new BufferedInputStream(right.getInputStream(), 1 << 16));
        toRight = right == null ? null : new DataOutputStream(new BufferedOutputStream(right.getOutputStream(), 1 << 16));
    }

    /** Connects task {@code ctx.partitionId()} with its neighbours; E806 when it cannot. */
    static ChainExchange open(BarrierTaskContext ctx, int tasks, byte[] token) {
        BarrierTaskInfo[] infos = ctx.getTaskInfos();
        String[] hosts = new String[infos.length];
        for (int u = 0; u < infos.length; u++) {
            hosts[u] = host(infos[u].address());
        }
        return connect(ctx.partitionId(), tasks, hosts, ctx::allGather, token);
    }

    /** The host of an executor's {@code host:port} (Spark's task info), brackets of an IPv6 literal removed. */
    static String host(String hostPort) {
        String h = hostPort;
        int colon = h.lastIndexOf(':');
        if (colon > 0 && colon < h.length() - 1 && h.substring(colon + 1).chars().allMatch(Character::isDigit)
                && (h.indexOf(':') == colon || h.charAt(colon - 1) == ']')) {
            h = h.substring(0, colon);
        }
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** Connects task {@code t}, on {@code hosts[t]}, with its neighbours; {@code gather} is an all-gather of strings. */
    static ChainExchange connect(int t, int tasks, String[] hosts, Function<String, String[]> gather, byte[] token) {
        ServerSocket server = null;
        Socket left = null;
        Socket right = null;
        try {
            if (t > 0) {
                server = new ServerSocket();
                server.bind(new InetSocketAddress(InetAddress.getByName(hosts[t]), 0), tasks);
                server.setSoTimeout(TIMEOUT_MS);   // the neighbour may still be starting: barrier tasks start together
            }
            String[] ports = gather.apply(server == null ? "0" : Integer.toString(server.getLocalPort()));
            if (t + 1 < tasks) {
                int port = port(ports[t + 1]);
                right = new Socket();
                right.connect(new InetSocketAddress(hosts[t + 1], port), TIMEOUT_MS);
                tune(right);
                DataOutputStream hello = new DataOutputStream(right.getOutputStream());
                hello.write(token);
                hello.writeInt(t);
                hello.flush();
            }
            if (server != null) {
                left = accept(server, token, t - 1);
            }
            return new ChainExchange(t, tasks, left, right);
        } catch (IOException e) {
            closeQuietly(left);
            closeQuietly(right);
            throw failure("task " + t + " cannot connect to its neighbours (" + e.getMessage() + ")", e);
        } finally {
            closeQuietly(server);
        }
    }

    /** Accepts connections until one presents the token and task {@code expected} within {@link #HELLO_MS}. */
    private static Socket accept(ServerSocket server, byte[] token, int expected) throws IOException {
        while (true) {
            Socket s = server.accept();
            try {
                s.setSoTimeout(HELLO_MS);
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] got = new byte[token.length];
                in.readFully(got);
                int from = in.readInt();
                if (MessageDigest.isEqual(got, token) && from == expected) {
                    tune(s);
                    return s;
                }
            } catch (IOException e) {
                // a stranger, or one too slow to say who it is: keep waiting for the neighbour
            }
            closeQuietly(s);
        }
    }

    private static void tune(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        s.setSoTimeout(TIMEOUT_MS);
    }

    private static int port(String s) throws IOException {
        try {
            int p = Integer.parseInt(s);
            if (p > 0 && p < 65536) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException("a neighbour announced port " + Printable.quote(s));
    }

    /**
     * Sums the tasks' gradients: {@code own} is this task's (ignored when {@code totals.present[task]}
     * is false), {@code sum} receives the total of all present tasks in task order. {@code totals}
     * holds this task's entries on entry and every task's on return.
     */
    void allReduce(float[] own, float[] sum, Totals totals) {
        try {
            boolean mine = totals.present[task];
            boolean partial = false;
            if (fromLeft != null) {
                readTotals(fromLeft, totals, task);
                partial = fromLeft.readBoolean();
            }
            boolean down = partial || mine;
            if (toRight != null) {
                writeTotals(toRight, totals, task + 1);
                toRight.writeBoolean(down);
            }
            for (int a = 0; a < sum.length; a += CHUNK) {
                int n = Math.min(CHUNK, sum.length - a);
                if (partial) {
                    read(fromLeft, sum, a, n);
                }
                if (mine) {
                    for (int i = a; i < a + n; i++) {
                        sum[i] = partial ? sum[i] + own[i] : own[i];
                    }
                }
                if (toRight != null && down) {
                    write(toRight, sum, a, n);
                }
            }
            boolean total = down;
            if (toRight != null) {
                toRight.flush();
                readTotals(fromRight, totals, tasks);        // the total comes back up the chain
                total = fromRight.readBoolean();
            }
            if (toLeft != null) {
                writeTotals(toLeft, totals, tasks);
                toLeft.writeBoolean(total);
            }
            if (total && (fromRight != null || toLeft != null)) {
                for (int a = 0; a < sum.length; a += CHUNK) {
                    int n = Math.min(CHUNK, sum.length - a);
                    if (fromRight != null) {
                        read(fromRight, sum, a, n);
                    }
                    if (toLeft != null) {
                        write(toLeft, sum, a, n);
                    }
                }
            }
            if (toLeft != null) {
                toLeft.flush();
            }
        } catch (IOException e) {
            throw failure("task " + task + " lost a neighbour during the exchange (" + e.getMessage() + ")", e);
        }
    }

    /** Writes tasks {@code 0..upTo-1}'s entries; the receiver's own entries and later ones are not sent. */
    private static void writeTotals(DataOutputStream out, Totals s, int upTo) throws IOException {
        for (int u = 0; u < upTo; u++) {
            out.writeBoolean(s.present[u]);
            out.writeDouble(s.loss[u]);
            out.writeInt(s.correct[u]);
        }
    }

    private static void readTotals(DataInputStream in, Totals s, int upTo) throws IOException {
        for (int u = 0; u < upTo; u++) {
            s.present[u] = in.readBoolean();
            s.loss[u] = in.readDouble();
            s.correct[u] = in.readInt();
        }
    }

    private void write(DataOutputStream out, float[] v, int from, int n) throws IOException {
        view.clear();
        view.asFloatBuffer().put(v, from, n);
        out.write(bytes, 0, n * Float.BYTES);
    }

    private void read(DataInputStream in, float[] into, int from, int n) throws IOException {
        in.readFully(bytes, 0, n * Float.BYTES);
        view.clear();
        view.asFloatBuffer().get(into, from, n);
    }

    private static StriateSparkException failure(String message, Throwable cause) {
        return new StriateSparkException(StriateSparkException.EXCHANGE, "direct gradient exchange: " + message
                + "; executors must reach each other on ephemeral TCP ports, or use exchange(Exchange.SPARK)", cause);
    }

    private static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(left);
        closeQuietly(right);
    }
}
