/**
 * Hostile-input benchmark (`npm run bench:hostile`): throughput of extraction on every generator of the
 * adversarial corpus (services/core/src/extraction/adversarial-corpus.ts, the same inputs the tests check
 * for exact results) at 1 MB and at 8 MB. Linear time means the 8 MB throughput is at least 0.7× the 1 MB
 * throughput for every generator; a quadratic path would show about 0.125×. Figures are printed, never
 * asserted.
 *
 *   node --conditions=source --import tsx scripts/bench/hostile.ts [--only <name part>] [--small 1] [--large 8] [--runs 2]
 *
 * Text cases time `extractSelectors`; HTML cases `htmlToText` then `extractSelectors`; PDF cases `pdfToText`
 * then `extractSelectors` (or, for a document over the decompression cap, the time to refuse it). Time is
 * this process's CPU time (user + system), not wall time: on a shared machine the wall clock mostly
 * measures the neighbours. Each size runs `--runs` times and keeps the fastest.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { extractSelectors, htmlToText, PdfDecompressionLimitError, pdfToText } from '@osint/core';
import { ADVERSARIAL_CASES, type AdversarialCase } from '@osint/core/extraction/adversarial-corpus';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    small: { type: 'string', default: '1' },
    large: { type: 'string', default: '8' },
    runs: { type: 'string', default: '2' },
  },
});
const SMALL = Number(args.small);
const LARGE = Number(args.large);
const RUNS = Math.max(1, Number(args.runs));

/** CPU milliseconds (user + system) this process spent in `fn`. */
async function cpuMs(fn: () => Promise<void> | void): Promise<number> {
  const start = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Builds the input at `mb` MB and returns [bytes of input, CPU milliseconds of the fastest run]. */
async function measure(c: AdversarialCase, mb: number): Promise<[number, number]> {
  const size = Math.round(mb * 1e6);
  let run: () => Promise<void> | void;
  let bytes: number;
  if (c.kind === 'text') {
    const { text } = c.build(size);
    bytes = Buffer.byteLength(text);
    run = () => {
      extractSelectors(text);
    };
  } else if (c.kind === 'html') {
    const { html } = c.build(size);
    bytes = Buffer.byteLength(html);
    run = () => {
      extractSelectors(htmlToText(html));
    };
  } else {
    const { pdf, refused } = c.build(size);
    bytes = pdf.length;
    run = async () => {
      try {
        extractSelectors((await pdfToText(pdf)).text);
        if (refused) throw new Error(`${c.name}: expected the decompression cap to refuse it`);
      } catch (error) {
        if (!(refused && error instanceof PdfDecompressionLimitError)) throw error;
      }
    };
  }
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i++) best = Math.min(best, await cpuMs(run));
  return [bytes, best];
}

console.log(
  `bench:hostile, node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}; MB per CPU-second, best of ${RUNS} at ${SMALL} MB and ${LARGE} MB`,
);
console.log(
  `${'generator'.padEnd(48)} ${`${SMALL} MB MB/s`.padStart(10)} ${`${LARGE} MB MB/s`.padStart(10)}  ratio`,
);
let worst = Number.POSITIVE_INFINITY;
let worstName = '';
for (const c of ADVERSARIAL_CASES) {
  if (args.only && !c.name.includes(args.only) && c.kind !== args.only) continue;
  const [smallBytes, smallMs] = await measure(c, SMALL);
  const [largeBytes, largeMs] = await measure(c, LARGE);
  const small = smallBytes / 1e6 / (smallMs / 1000);
  const large = largeBytes / 1e6 / (largeMs / 1000);
  const ratio = large / small;
  if (ratio < worst) {
    worst = ratio;
    worstName = c.name;
  }
  console.log(
    `${`${c.kind}: ${c.name}`.padEnd(48)} ${small.toFixed(2).padStart(10)} ${large.toFixed(2).padStart(10)}  ${ratio.toFixed(2)}${ratio < 0.7 ? '  < 0.7: NOT LINEAR' : ''}`,
  );
}
console.log(`lowest ratio ${worst.toFixed(2)} (${worstName}); linear means every ratio >= 0.70`);
