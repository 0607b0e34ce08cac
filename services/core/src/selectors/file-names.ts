/** Grouped by kind so an addition lands next to its relatives; flattened into one set below. */
const EXTENSION_GROUPS: Readonly<Record<string, string>> = {
  executables: 'exe dll scr sys drv ocx cpl msi msp elf bin dylib apk ipa jar class dmg pkg deb rpm appimage',
  scripts: 'ps1 psm1 bat cmd vbs vbe js jse wsf hta sh bash py pyc rb php asp aspx jsp lnk iqy sct reg',
  documents:
    'pdf doc docx docm dot dotm xls xlsx xlsm xlsb ppt pptx pptm rtf odt ods odp one txt csv log json xml html htm eml msg ics chm',
  archives: 'zip rar 7z tar gz tgz bz2 xz cab iso img vhd vhdx arj ace',
  media: 'png jpg jpeg gif bmp svg ico webp mov mp4 mp3 avi wav mkv',
  data: 'dat tmp bak db sqlite ini cfg conf yml yaml toml',
};

/**
 * Extensions of files that show up in threat reports (payloads, documents, archives, scripts, media).
 * Several are also delegated TLDs (`.zip`, `.mov`, `.sh`, `.py`), so `invoice.zip` parses as a valid
 * domain; the extractor uses {@link isLikelyFileName} to drop such tokens unless they appear inside a URL,
 * where the scheme proves they are hosts. Country-code TLDs that carry lots of real sites and only rarely
 * name files in reports (`.pl`, `.rs`, `.md`, `.ai`, `.so`, `.ps`) are intentionally absent.
 */
export const COMMON_FILE_EXTENSIONS: ReadonlySet<string> = new Set(
  Object.values(EXTENSION_GROUPS).flatMap((group) => group.split(' ')),
);

/**
 * Extensions that are also country-code TLDs with many real sites (`.md` Moldova, `.rs` Serbia, `.pl`
 * Poland, `.ps` Palestine, `.so` Somalia, `.ai` Anguilla), kept out of {@link COMMON_FILE_EXTENSIONS}. A
 * name with one of them is read as a file only when its stem says so (see {@link isLikelyFileName}).
 */
export const AMBIGUOUS_FILE_EXTENSIONS: ReadonlySet<string> = new Set(['md', 'rs', 'pl', 'ps', 'so', 'ai']);

/**
 * Stems that name files by convention, per ambiguous extension: repository documents (`README.md`,
 * `CHANGELOG.md`), Rust crate roots (`main.rs`, `lib.rs`), Perl's `Makefile.pl`. Nobody reports these as
 * hosts; a stem outside the list (`shop.md`, `api.rs`) stays a domain.
 */
const CONVENTIONAL_FILE_STEMS: Readonly<Record<string, ReadonlySet<string>>> = {
  md: new Set(
    (
      'readme changelog changes history license licence copying contributing contributors authors ' +
      'code_of_conduct security support install notes todo release releases upgrading migration faq index'
    ).split(' '),
  ),
  rs: new Set(['main', 'lib', 'mod', 'build']),
  pl: new Set(['makefile']),
};

/**
 * True when `value` ends in a common file extension (`report.pdf`, `payload.zip`, `C:\\x\\run.ps1`), or
 * in an extension that is also a busy ccTLD (`.md`, `.rs`, …) with a stem that reads as a file: a
 * conventional file name for that extension (`README.md`, `main.rs`), or a single upper-case stem before a lower-case
 * extension (`NOTES.md`: nobody spells a host that way, but file names are written so all the time).
 * A heuristic, not a verdict: it only says "this token is more likely a file than a host".
 */
export function isLikelyFileName(value: string): boolean {
  const trimmed = value.trim().replace(/\.$/, '');
  const dot = trimmed.lastIndexOf('.');
  if (dot <= 0 || dot === trimmed.length - 1) return false;
  const extension = trimmed.slice(dot + 1);
  if (COMMON_FILE_EXTENSIONS.has(extension.toLowerCase())) return true;
  if (!AMBIGUOUS_FILE_EXTENSIONS.has(extension.toLowerCase())) return false;
  // The last path segment's stem: `docs/README.md` → `README`; `sub.example.md` → `sub.example`.
  const stem = trimmed.slice(0, dot).split(/[\\/]/).pop() ?? '';
  if (CONVENTIONAL_FILE_STEMS[extension.toLowerCase()]?.has(stem.toLowerCase())) return true;
  return /^[A-Z][A-Z0-9_-]*$/.test(stem) && extension === extension.toLowerCase();
}
