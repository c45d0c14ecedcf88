package io.sublet.boot.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Fetches files from a Debian mirror over HTTP(S) with {@link HttpClient}. Every transfer has a connect timeout, a
 * timeout for the response headers, and a stall timeout: a transfer that receives nothing for that long is
 * abandoned. Network failures become one-line {@link ImageException}s naming the URL.
 *
 * <p>Large files go through {@link #download}: into a temporary file next to the target, with the size limited
 * and the SHA-256 computed as the bytes arrive, then checked, and only then moved into place atomically. A download
 * that fails leaves nothing behind.
 */
public final class ArchiveClient {
    /** The default mirror: Debian's CDN. */
    public static final URI DEFAULT_MIRROR = URI.create("https://deb.debian.org/debian/");
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final HttpClient http;
    private final Duration stall;

    public ArchiveClient(final URI mirror) {
        this(mirror, CONNECT_TIMEOUT, STALL_TIMEOUT);
    }

    ArchiveClient(final URI mirror, final Duration connect, final Duration stall) {
        final String s = mirror.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.http = HttpClient.newBuilder().connectTimeout(connect).followRedirects(HttpClient.Redirect.NORMAL)
                .version(HttpClient.Version.HTTP_1_1).build();
        this.stall = stall;
    }

    /** The mirror's base URI, ending in {@code /}. */
    public URI mirror() {
        return base;
    }

    /** The URI of {@code path} (relative to the mirror, e.g. {@code dists/trixie/InRelease}). */
    public URI uri(final String path) {
        return base.resolve(path);
    }

    /** Fetches a small file into memory; more than {@code maxBytes} is refused. */
    public byte[] fetch(final String path, final long maxBytes) throws ImageException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        transfer(path, out, null, maxBytes, false, Progress.SILENT, path);
        return out.toByteArray();
    }

    /**
     * Downloads {@code path} to {@code target}, which appears only if the download has exactly {@code size} bytes
     * with SHA-256 {@code sha256}.
     */
    public void download(final String path, final Path target, final String sha256, final long size,
            final Progress progress) throws ImageException {
        downloadIfPresent(path, target, sha256, size, progress, false);
    }

    /** As {@link #download}, but returns false instead of failing when the mirror answers 404 and missingOk. */
    boolean downloadIfPresent(final String path, final Path target, final String sha256, final long size,
            final Progress progress, final boolean missingOk) throws ImageException {
        final URI uri = uri(path);
        Path tmp = null;
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            tmp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName() + ".",
                    ".part");
            final MessageDigest md = Sha256.digest();
            final long got;
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                got = transfer(path, out, md, size, missingOk, progress, target.getFileName().toString());
                if (got < 0) {
                    return false;
                }
                ch.force(true);
            }
            if (got != size) {
                throw new ImageException(uri + ": truncated: received " + got + " of the " + size
                        + " bytes the index lists");
            }
            final String actual = Sha256.hex(md);
            if (!actual.equals(sha256)) {
                throw new ImageException(uri + ": SHA-256 mismatch: the index says " + sha256 + ", the download is "
                        + actual);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            return true;
        } catch (IOException e) {
            throw new ImageException(target + ": cannot write: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // best effort; a stray .part file is ignored and removed by the next pull
                }
            }
        }
    }

    /**
     * Streams {@code path} into {@code out}, digesting it into {@code md} if not null, and returns the number of
     * bytes, or -1 if the mirror answered 404 and {@code missingOk}. Progress is reported under {@code label}.
     */
    private long transfer(final String path, final OutputStream out, final MessageDigest md, final long limit,
            final boolean missingOk, final Progress progress, final String label) throws ImageException {
        final URI uri = uri(path);
        final HttpRequest req = HttpRequest.newBuilder(uri).timeout(stall).header("User-Agent", "sublet")
                .GET().build();
        final Events events = new Events();
        final CompletableFuture<HttpResponse<Void>> future = http.sendAsync(req, events::handle);
        future.whenComplete((r, t) -> {
            if (t != null) {
                events.queue.add(t);
            }
        });
        long total = -1;
        long done = 0;
        try {
            while (true) {
                final Object e = events.queue.poll(stall.toMillis(), TimeUnit.MILLISECONDS);
                if (e == null) {
                    final String quiet = stall.toMillis() < 1000 ? stall.toMillis() + " ms" : stall.toSeconds() + " s";
                    throw new ImageException(uri + ": no data for " + quiet + "; giving up");
                }
                if (e instanceof Throwable) {
                    throw new ImageException(uri + ": " + describe((Throwable) e), (Throwable) e);
                }
                if (e instanceof Head) {
                    final Head h = (Head) e;
                    if (h.status == 404 && missingOk) {
                        return -1;
                    }
                    if (h.status == 404) {
                        throw new ImageException(uri + ": not found on the mirror (HTTP 404)");
                    }
                    if (h.status != 200) {
                        throw new ImageException(uri + ": the mirror answered HTTP " + h.status);
                    }
                    if (h.length > limit) {
                        throw new ImageException(uri + ": " + h.length + " bytes, more than the " + limit
                                + " expected; refusing it");
                    }
                    total = h.length >= 0 ? h.length : limit;
                    progress.transfer(label, 0, total);
                    continue;
                }
                if (e == Events.DONE) {
                    return done;
                }
                @SuppressWarnings("unchecked")
                final List<ByteBuffer> chunk = (List<ByteBuffer>) e;
                for (ByteBuffer b : chunk) {
                    final int n = b.remaining();
                    if (done + n > limit) {
                        throw new ImageException(uri + ": more than the " + limit + " bytes expected; refusing it");
                    }
                    final byte[] bytes = new byte[n];
                    b.get(bytes);
                    if (md != null) {
                        md.update(bytes);
                    }
                    out.write(bytes);
                    done += n;
                }
                progress.transfer(label, done, total);
                events.more();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException(uri + ": interrupted");
        } catch (IOException e) {
            throw new ImageException(uri + ": cannot store the download: " + e.getMessage(), e);
        } finally {
            events.cancel();
            future.cancel(true);
        }
    }

    private static String describe(final Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c.getClass() == IOException.class) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof HttpConnectTimeoutException) {
            return "cannot connect: timed out";
        }
        if (c instanceof HttpTimeoutException) {
            return "no response: timed out";
        }
        if (c instanceof ConnectException) {
            if (c.getCause() instanceof UnresolvedAddressException) {
                return "cannot connect: unknown host (no network, or no DNS?)";
            }
            return "cannot connect" + (c.getMessage() == null ? "" : ": " + c.getMessage());
        }
        if (c instanceof SSLException) {
            return "TLS failure: " + c.getMessage();
        }
        return "network failure: " + (c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage());
    }

    /** The response status and length, seen before the body. */
    private record Head(int status, long length) { }

    /**
     * Receives a response as a queue of events — {@link Head}, body chunks, then {@link #DONE} or a Throwable — so
     * that the reading thread can wait for each with a timeout. One chunk is requested at a time.
     */
    private static final class Events implements Flow.Subscriber<List<ByteBuffer>> {
        static final Object DONE = new Object();
        final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        private volatile Flow.Subscription subscription;

        HttpResponse.BodySubscriber<Void> handle(final HttpResponse.ResponseInfo info) {
            queue.add(new Head(info.statusCode(), info.headers().firstValueAsLong("Content-Length").orElse(-1)));
            return HttpResponse.BodySubscribers.fromSubscriber(this);
        }

        void more() {
            final Flow.Subscription s = subscription;
            if (s != null) {
                s.request(1);
            }
        }

        void cancel() {
            final Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        @Override
        public void onSubscribe(final Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(final List<ByteBuffer> item) {
            queue.add(item);
        }

        @Override
        public void onError(final Throwable t) {
            queue.add(t);
        }

        @Override
        public void onComplete() {
            queue.add(DONE);
        }
    }
}
