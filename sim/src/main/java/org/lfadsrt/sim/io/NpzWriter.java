package org.lfadsrt.sim.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a numpy {@code .npz} archive the way {@code np.savez} does: uncompressed (STORED) zip
 * members {@code NAME.npy}. Stored members carry their size and CRC in the local header, so the
 * archive is readable from a stream as well as by {@code np.load}. Extra non-array members (such as
 * {@code hparams.json}) can be added as bytes or text.
 */
public final class NpzWriter implements AutoCloseable {
  private final ZipOutputStream zip;
  private final Set<String> written = new HashSet<>();

  public NpzWriter(OutputStream out) {
    this.zip = new ZipOutputStream(out);
    zip.setMethod(ZipOutputStream.STORED);
  }

  public static NpzWriter create(Path path) throws IOException {
    return new NpzWriter(new BufferedOutputStream(Files.newOutputStream(path)));
  }

  /** Adds array {@code name} as member {@code name.npy}. */
  public NpzWriter put(String name, NdArray array) throws IOException {
    return putBytes(name + ".npy", Npy.toBytes(array));
  }

  /** Adds a raw member. */
  public NpzWriter putBytes(String memberName, byte[] content) throws IOException {
    if (!written.add(memberName)) throw new IllegalArgumentException("duplicate member " + memberName);
    ZipEntry e = new ZipEntry(memberName);
    CRC32 crc = new CRC32();
    crc.update(content);
    e.setMethod(ZipEntry.STORED);
    e.setSize(content.length);
    e.setCompressedSize(content.length);
    e.setCrc(crc.getValue());
    zip.putNextEntry(e);
    zip.write(content);
    zip.closeEntry();
    return this;
  }

  /** Adds a UTF-8 text member. */
  public NpzWriter putText(String memberName, String text) throws IOException {
    return putBytes(memberName, text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() throws IOException {
    zip.close();
  }
}
