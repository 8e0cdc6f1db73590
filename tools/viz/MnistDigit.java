import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Writes one MNIST test digit as a 28x28 gray PNG, for the README's pictures (tools/viz/pictures.sh):
 * {@code java tools/viz/MnistDigit.java MNIST_DIR INDEX OUT.png}. Reads t10k-images-idx3-ubyte as
 * {@code striate data mnist} leaves it; checks the IDX header and the index.
 */
public final class MnistDigit {
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: java MnistDigit.java MNIST_DIR INDEX OUT.png");
            System.exit(1);
        }
        Path file = Path.of(args[0], "t10k-images-idx3-ubyte");
        int index = Integer.parseInt(args[1]);
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(raw)) {
            int magic = in.readInt();
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (magic != 0x803 || rows != 28 || cols != 28 || index < 0 || index >= count) {
                throw new IOException(file + ": not MNIST test images, or no image " + index);
            }
            in.skipNBytes((long) index * rows * cols);
            BufferedImage img = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < cols; x++) {
                    img.getRaster().setSample(x, y, 0, in.readUnsignedByte());
                }
            }
            ImageIO.write(img, "png", Path.of(args[2]).toFile());
        }
    }
}
