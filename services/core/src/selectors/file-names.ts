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
 * True when `value` ends in a common file extension (`report.pdf`, `payload.zip`, `C:\\x\\run.ps1`).
 * A heuristic, not a verdict: it only says "this token is more likely a file than a host".
 */
export function isLikelyFileName(value: string): boolean {
  const trimmed = value.trim().replace(/\.$/, '');
  const dot = trimmed.lastIndexOf('.');
  if (dot <= 0 || dot === trimmed.length - 1) return false;
  return COMMON_FILE_EXTENSIONS.has(trimmed.slice(dot + 1).toLowerCase());
}
