import dgram from 'node:dgram';

/** Record types the test zone can answer (RFC 1035 / RFC 3596 numbers). */
const TYPES = { A: 1, NS: 2, CNAME: 5, MX: 15, TXT: 16, AAAA: 28 } as const;
type RecordType = keyof typeof TYPES;
const TYPE_NAMES = new Map<number, string>(Object.entries(TYPES).map(([name, code]) => [code, name]));

export interface ZoneRecords {
  A?: string[];
  AAAA?: string[];
  NS?: string[];
  CNAME?: string[];
  MX?: Array<{ priority: number; exchange: string }>;
  TXT?: string[];
}

export interface TestDnsServer {
  /** `127.0.0.1:<port>`, as DNS_RESOLVERS takes it. */
  address: string;
  port: number;
  /** Every question received, in order (lowercased name, type name such as `A` or `TYPE65`). */
  queries: Array<{ name: string; type: string }>;
  /** How many times `name` was asked about (any type, or one type). */
  count(name: string, type?: string): number;
  close(): Promise<void>;
}

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([
    ...parts.map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'ascii')])),
    Buffer.from([0]),
  ]);
}

function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let i = offset;
  for (;;) {
    const len = msg[i] ?? 0;
    if (len === 0) return { name: labels.join('.'), end: i + 1 };
    labels.push(msg.subarray(i + 1, i + 1 + len).toString('ascii'));
    i += len + 1;
  }
}

function ipv6Bytes(address: string): Buffer {
  const [head = '', tail = ''] = address.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  const out = Buffer.alloc(16);
  for (const [i, g] of groups.entries()) out.writeUInt16BE(Number.parseInt(g, 16), i * 2);
  return out;
}

function rdata(type: RecordType, value: unknown): Buffer {
  switch (type) {
    case 'A':
      return Buffer.from(String(value).split('.').map(Number));
    case 'AAAA':
      return ipv6Bytes(String(value));
    case 'NS':
    case 'CNAME':
      return encodeName(String(value));
    case 'MX': {
      const mx = value as { priority: number; exchange: string };
      const pref = Buffer.alloc(2);
      pref.writeUInt16BE(mx.priority);
      return Buffer.concat([pref, encodeName(mx.exchange)]);
    }
    case 'TXT': {
      const text = Buffer.from(String(value), 'utf8');
      return Buffer.concat([Buffer.from([text.length]), text]);
    }
  }
}

/**
 * A tiny authoritative DNS responder on 127.0.0.1 (UDP, random port) for tests: answers A, AAAA, NS,
 * CNAME, MX and TXT questions from `zone`, NXDOMAIN for names outside it, an empty NOERROR for a known
 * name without that record type, and logs every question so a test can assert how often it was asked.
 * A name with a CNAME answers every question with the CNAME record only (no chasing).
 */
export async function startTestDnsServer(zone: Record<string, ZoneRecords>): Promise<TestDnsServer> {
  const records = new Map(Object.entries(zone).map(([name, r]) => [name.toLowerCase(), r]));
  const queries: Array<{ name: string; type: string }> = [];
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    if (msg.length < 12) return;
    const { name, end } = readName(msg, 12);
    const qtype = msg.readUInt16BE(end);
    const typeName = TYPE_NAMES.get(qtype) ?? `TYPE${qtype}`;
    queries.push({ name: name.toLowerCase(), type: typeName });
    const question = msg.subarray(12, end + 4);
    const entry = records.get(name.toLowerCase());
    const answers: Buffer[] = [];
    const answerType: RecordType | undefined = entry?.CNAME ? 'CNAME' : (typeName as RecordType);
    const values = entry && answerType ? ((entry[answerType] as unknown[] | undefined) ?? []) : [];
    for (const value of values) {
      const data = rdata(answerType as RecordType, value);
      const rr = Buffer.alloc(12);
      rr.writeUInt16BE(0xc00c, 0); // name: pointer to the question's name
      rr.writeUInt16BE(TYPES[answerType as RecordType], 2);
      rr.writeUInt16BE(1, 4); // class IN
      rr.writeUInt32BE(300, 6); // TTL
      rr.writeUInt16BE(data.length, 10);
      answers.push(rr, data);
    }
    const header = Buffer.alloc(12);
    header.writeUInt16BE(msg.readUInt16BE(0), 0); // id
    const rcode = entry ? 0 : 3; // NOERROR / NXDOMAIN
    header.writeUInt16BE(0x8000 | 0x0400 | (msg.readUInt16BE(2) & 0x0100) | 0x0080 | rcode, 2); // QR AA RD RA
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(values.length, 6);
    socket.send(Buffer.concat([header, question, ...answers]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  return {
    address: `127.0.0.1:${port}`,
    port,
    queries,
    count: (name, type) =>
      queries.filter((q) => q.name === name.toLowerCase() && (type === undefined || q.type === type)).length,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
