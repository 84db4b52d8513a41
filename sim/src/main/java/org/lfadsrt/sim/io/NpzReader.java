package org.lfadsrt.sim.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Reads a numpy {@code .npz} archive (as written by {@code np.savez} / {@code np.savez_compressed}):
 * a zip whose {@code NAME.npy} members are arrays named {@code NAME}. Other members (for instance
 * {@code hparams.json}) are available as raw bytes or text. Everything is read into memory on
 * open; arrays are decoded lazily, each at most once.
 */
public final class NpzReader {
  private final String sourceName;
  private final Map<String, byte[]> members;
  private final Map<String, NdArray> decoded = new LinkedHashMap<>();

  private NpzReader(String sourceName, Map<String, byte[]> members) {
    this.sourceName = sourceName;
    this.members = members;
  }

  /** Opens a file (random access, so members written with data descriptors are fine too). */
  public static NpzReader open(Path path) throws IOException {
    Map<String, byte[]> members = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(path.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        if (e.isDirectory()) continue;
        try (InputStream in = zip.getInputStream(e)) {
          members.put(e.getName(), in.readAllBytes());
        }
      }
    } catch (ZipException e) {
      throw new NpyFormatException(path + ": not a readable .npz (zip) archive: " + e.getMessage());
    }
    return new NpzReader(path.toString(), members);
  }

  /** Reads an archive from a stream (e.g. a classpath resource); {@code sourceName} names it in errors. */
  public static NpzReader read(InputStream in, String sourceName) throws IOException {
    Map<String, byte[]> members = new LinkedHashMap<>();
    try (ZipInputStream zin = new ZipInputStream(in)) {
      ZipEntry e;
      while ((e = zin.getNextEntry()) != null) {
        if (e.isDirectory()) continue;
        members.put(e.getName(), zin.readAllBytes());
      }
    } catch (ZipException e) {
      throw new NpyFormatException(sourceName + ": not a readable .npz (zip) archive: " + e.getMessage());
    } catch (java.io.EOFException e) {
      throw new NpyFormatException(sourceName + ": truncated .npz (zip) archive"
          + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
    if (members.isEmpty()) {
      throw new NpyFormatException(sourceName + ": not a .npz archive (no zip members found)");
    }
    return new NpzReader(sourceName, members);
  }

  public String sourceName() {
    return sourceName;
  }

  /** Names of the arrays ({@code .npy} members without the suffix), in archive order. */
  public Set<String> arrayNames() {
    Set<String> names = new LinkedHashSet<>();
    for (String m : members.keySet()) {
      if (m.endsWith(".npy")) names.add(m.substring(0, m.length() - 4));
    }
    return Collections.unmodifiableSet(names);
  }

  /** Every member name, including non-array members such as {@code hparams.json}. */
  public Set<String> memberNames() {
    return Collections.unmodifiableSet(members.keySet());
  }

  public boolean hasArray(String name) {
    return members.containsKey(name + ".npy");
  }

  public boolean hasMember(String memberName) {
    return members.containsKey(memberName);
  }

  /** The array {@code name}; an error names the archive and the missing array. */
  public NdArray array(String name) throws NpyFormatException {
    NdArray a = decoded.get(name);
    if (a != null) return a;
    byte[] b = members.get(name + ".npy");
    if (b == null) {
      throw new NpyFormatException(sourceName + ": missing array '" + name + "'");
    }
    a = Npy.read(b, sourceName + "[" + name + "]");
    decoded.put(name, a);
    return a;
  }

  /** Raw bytes of any member; an error names the archive and the missing member. */
  public byte[] bytes(String memberName) throws NpyFormatException {
    byte[] b = members.get(memberName);
    if (b == null) throw new NpyFormatException(sourceName + ": missing member '" + memberName + "'");
    return b.clone();
  }

  /** A member decoded as UTF-8 text. */
  public String text(String memberName) throws NpyFormatException {
    return new String(bytes(memberName), StandardCharsets.UTF_8);
  }
}
