// Recognises native executables and libraries by their headers (ELF, Mach-O, PE), with the operating system and
// CPU they are built for, named as VS Code's target platforms name them.
export interface NativeBinary {
  format: 'elf' | 'mach-o' | 'pe';
  os: 'linux' | 'darwin' | 'win32';
  arch: 'x64' | 'arm64' | 'ia32' | 'arm' | 'other';
}

const ELF_MACHINE: Record<number, NativeBinary['arch']> = { 0x3e: 'x64', 0xb7: 'arm64', 0x03: 'ia32', 0x28: 'arm' };
const MACHO_CPU: Record<number, NativeBinary['arch']> = { 0x01000007: 'x64', 0x0100000c: 'arm64', 7: 'ia32', 12: 'arm' };
const PE_MACHINE: Record<number, NativeBinary['arch']> = { 0x8664: 'x64', 0xaa64: 'arm64', 0x14c: 'ia32', 0x1c4: 'arm' };

/** The binary's kind, or undefined when the bytes are not a native executable or library. */
export function nativeBinaryOf(bytes: Uint8Array): NativeBinary | undefined {
  if (bytes.length < 64) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, false) === 0x7f454c46) {
    const littleEndian = bytes[5] === 1;
    return { format: 'elf', os: 'linux', arch: ELF_MACHINE[view.getUint16(18, littleEndian)] ?? 'other' };
  }
  const magic = view.getUint32(0, false);
  if (magic === 0xcefaedfe || magic === 0xcffaedfe) {
    return { format: 'mach-o', os: 'darwin', arch: MACHO_CPU[view.getUint32(4, true)] ?? 'other' };
  }
  if (magic === 0xfeedface || magic === 0xfeedfacf) {
    return { format: 'mach-o', os: 'darwin', arch: MACHO_CPU[view.getUint32(4, false)] ?? 'other' };
  }
  // A universal (fat) Mach-O; Java class files share the magic but carry a version ≥ 45 where this has a count.
  if (magic === 0xcafebabe && view.getUint32(4, false) < 20) {
    return { format: 'mach-o', os: 'darwin', arch: MACHO_CPU[view.getUint32(8, false)] ?? 'other' };
  }
  if (bytes[0] === 0x4d && bytes[1] === 0x5a) {
    const peOffset = view.getUint32(0x3c, true);
    if (peOffset + 6 <= bytes.length && view.getUint32(peOffset, false) === 0x50450000) {
      return { format: 'pe', os: 'win32', arch: PE_MACHINE[view.getUint16(peOffset + 4, true)] ?? 'other' };
    }
  }
  return undefined;
}

/** The VS Code target platform a binary runs on ('linux-x64', 'darwin-arm64', 'win32-x64', …). */
export function targetOf(binary: NativeBinary): string {
  return `${binary.os}-${binary.arch}`;
}
