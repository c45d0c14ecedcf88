package io.sublet.machine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * Which disk image a snapshot was taken with, and what it held then: its path, size, modification time
 * (nanoseconds) and file identity (device and inode). The guest's view of a disk is part of the machine
 * state, so restoring against an image that was written, grown or replaced since would show the guest
 * a disk it never wrote; {@link #changedSince} says how it differs.
 */
public record DiskIdentity(String path, boolean readOnly, long size, long modifiedNanos, String fileKey) {
    /** Reads the identity of an image as it is now (after its last write was flushed). */
    public static DiskIdentity of(final Path path, final boolean readOnly) throws IOException {
        final BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
        return new DiskIdentity(path.toAbsolutePath().normalize().toString(), readOnly, a.size(),
                a.lastModifiedTime().to(TimeUnit.NANOSECONDS), String.valueOf(a.fileKey()));
    }

    /** Why the image at {@link #path} is no longer the one saved, or null when it is. */
    public String changedSince() {
        final DiskIdentity now;
        try {
            now = of(Path.of(path), readOnly);
        } catch (IOException e) {
            return path + ": the disk image is gone or unreadable (" + e.getMessage() + ")";
        }
        if (!now.fileKey.equals(fileKey)) {
            return path + ": the disk image was replaced by another file since the snapshot";
        }
        if (now.size != size) {
            return path + ": the disk image is " + now.size + " bytes, it was " + size + " at the snapshot";
        }
        if (now.modifiedNanos != modifiedNanos) {
            return path + ": the disk image was modified after the snapshot";
        }
        return null;
    }
}
