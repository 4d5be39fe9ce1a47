package io.sluice.examples.orders;

import io.sluice.Delivery;
import io.sluice.WorkerEvent;
import io.sluice.WorkerListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An append-only record of what this worker did with each message ({@code --journal}), for auditing runs whose workers
 * are killed: one line per event, written with one system call before the worker goes on (so a handled message's line
 * is in the file before its delete is sent, and a {@code SIGKILL} loses no line the kernel took):
 *
 * <pre>
 * H &lt;queue&gt; &lt;messageId&gt; &lt;receiveCount&gt; &lt;epochMillis&gt;   handled (the handler returned)
 * D &lt;queue&gt; &lt;messageId&gt;                                   deleted (SQS confirmed)
 * F &lt;queue&gt; &lt;messageId&gt;                                   the delete failed for good
 * X &lt;queue&gt; &lt;messageId&gt; &lt;receiveCount&gt;                    dead-lettered
 * </pre>
 *
 * No body, no receipt handle.
 */
final class OrderJournal implements WorkerListener, AutoCloseable {

    private final FileChannel file;

    OrderJournal(Path path) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onEvent(WorkerEvent event) {
        if (event instanceof WorkerEvent.Handled handled) {
            Delivery delivery = handled.delivery();
            write("H " + delivery.queue() + " " + delivery.messageId() + " " + delivery.receiveCount() + " "
                    + System.currentTimeMillis());
        } else if (event instanceof WorkerEvent.Deleted deleted) {
            write("D " + deleted.delivery().queue() + " " + deleted.delivery().messageId());
        } else if (event instanceof WorkerEvent.DeleteFailed failed) {
            write("F " + failed.delivery().queue() + " " + failed.delivery().messageId());
        } else if (event instanceof WorkerEvent.DeadLettered dead) {
            write("X " + dead.delivery().queue() + " " + dead.delivery().messageId() + " "
                    + dead.delivery().receiveCount());
        }
    }

    private synchronized void write(String line) {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                file.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the journal: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            file.close();
        } catch (IOException e) {
            // the lines are written; nothing is lost by a failed close
        }
    }
}
