/**
 * Guest images from Debian's archive: the signed release index and the package index ({@link
 * io.sublet.boot.image.ReleaseVerifier}, {@link io.sublet.boot.image.ReleaseFile}, {@link
 * io.sublet.boot.image.PackageIndex}), {@code .deb} unpacking ({@link io.sublet.boot.image.DebArchive}), kernel
 * module dependencies ({@link io.sublet.boot.image.ModuleResolver}), the initramfs ({@link
 * io.sublet.boot.image.CpioWriter}, {@link io.sublet.boot.image.Initramfs}) and the cache ({@link
 * io.sublet.boot.image.ImageStore}). {@link io.sublet.boot.image.DebianImage} is the entry point.
 */
package io.sublet.boot.image;
