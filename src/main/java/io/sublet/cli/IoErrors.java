package io.sublet.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** One-line descriptions of file errors: the file and what went wrong, as a user needs them. */
final class IoErrors {
    private IoErrors() { }

    static String describe(IOException e) {
        if (e instanceof FileSystemException) {
            final FileSystemException f = (FileSystemException) e;
            final String what;
            if (e instanceof NoSuchFileException) {
                what = "no such file or directory";
            } else if (e instanceof AccessDeniedException) {
                what = "permission denied";
            } else if (e instanceof NotDirectoryException) {
                what = "not a directory";
            } else if (e instanceof FileAlreadyExistsException) {
                what = "already exists";
            } else {
                what = f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
            }
            return f.getFile() + ": " + what;
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
