package dev.mcphealth.infrastructure.persistence;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A process that holds the monitor lock of the database given as its argument until its input ends (or it is killed),
 * for {@link MonitorLockIT}. Prints "locked" once it holds it, or the refusal and exits 3.
 */
public final class MonitorLockHolder {
    private MonitorLockHolder() {
    }

    public static void main(String[] args) throws IOException {
        MonitorLock lock;
        try {
            lock = MonitorLock.acquire(Path.of(args[0]));
        } catch (RuntimeException e) {
            System.out.println(e.getMessage());
            System.out.flush();
            System.exit(3);
            return;
        }
        System.out.println("locked");
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold it until the input ends
        }
        lock.close();
    }
}
