package dev.striate.spark;

import dev.striate.train.Checkpoint;
import dev.striate.train.CheckpointFile;
import dev.striate.train.TrainingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumSet;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * The checkpoint of a Spark training run in a directory of any file system Hadoop reaches from the
 * driver ({@code hdfs://}, {@code file://}, {@code s3a://} with its connector on the class path, or
 * a path without a scheme on the default file system). Written as {@code striate train} writes it
 * ({@link CheckpointFile}'s format): the bytes go to a temporary file in the directory, are read back
 * and checked, and the temporary file is renamed over {@code checkpoint.ckpt} in one step
 * ({@code FileContext.rename} with {@code OVERWRITE}: atomic on HDFS and local disks; object stores
 * such as S3 copy, so a crash there may leave the temporary file, never a half-written checkpoint).
 */
final class CheckpointStore {
    private final FileContext fc;
    private final Path dir;
    private final Path file;

    private CheckpointStore(FileContext fc, Path dir) {
        this.fc = fc;
        this.dir = dir;
        this.file = new Path(dir, CheckpointFile.NAME);
    }

    /** The store of directory {@code uri}; E805 when it is not a URI or its file system is unknown. */
    static CheckpointStore of(String uri, Configuration conf) {
        try {
            if (uri.isBlank() || uri.indexOf('\0') >= 0) {
                throw new URISyntaxException(Printable.quote(uri), "empty or with a NUL");
            }
            URI parsed = new URI(uri);
            FileContext fc = parsed.getScheme() == null ? FileContext.getFileContext(conf)
                    : FileContext.getFileContext(parsed, conf);
            return new CheckpointStore(fc, fc.makeQualified(new Path(parsed)));
        } catch (URISyntaxException | IllegalArgumentException | IOException e) {
            throw new StriateSparkException(StriateSparkException.CHECKPOINT, "checkpoint directory "
                    + Printable.quote(uri) + " is not a directory Hadoop can reach: " + e.getMessage(), e);
        }
    }

    /** Where the checkpoint lives, for messages. */
    String where() {
        return file.toString();
    }

    boolean exists() {
        try {
            return fc.util().exists(file);
        } catch (IOException e) {
            throw failure("cannot look for", e);
        }
    }

    Checkpoint read() {
        try (InputStream in = fc.open(file)) {
            return CheckpointFile.read(file.toString(), in, fc.getFileStatus(file).getLen());
        } catch (IOException | TrainingException e) {
            throw failure("cannot resume from", e);
        }
    }

    /** Writes {@code c} atomically: the old checkpoint stays whole until the checked new one replaces it. */
    void write(Checkpoint c) {
        Path tmp = new Path(dir, "." + CheckpointFile.NAME + "." + UUID.randomUUID() + ".tmp");
        try {
            fc.mkdir(dir, FsPermission.getDirDefault(), true);
            try (OutputStream out = fc.create(tmp, EnumSet.of(CreateFlag.CREATE), Options.CreateOpts.createParent())) {
                CheckpointFile.write(out, c);
            }
            try (InputStream in = fc.open(tmp)) {                 // what landed is a whole checkpoint
                Checkpoint back = CheckpointFile.read(tmp.toString(), in, fc.getFileStatus(tmp).getLen());
                if (back.epoch() != c.epoch() || !back.fingerprint().equals(c.fingerprint())) {
                    throw new TrainingException(tmp + ": read back another checkpoint than written");
                }
            }
            fc.rename(tmp, file, Options.Rename.OVERWRITE);
        } catch (IOException | TrainingException e) {
            try {
                fc.delete(tmp, false);
            } catch (IOException ignored) {
                // the temporary file may be left; the checkpoint is untouched
            }
            throw failure("cannot write", e);
        }
    }

    private StriateSparkException failure(String what, Exception e) {
        return new StriateSparkException(StriateSparkException.CHECKPOINT, what + " the checkpoint " + file + ": "
                + e.getMessage(), e);
    }
}
