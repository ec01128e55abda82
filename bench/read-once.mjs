// One read in a fresh process, so that its CPU time, peak RSS and peak heap are its own.
// Prints one JSON line: { records, wallMs, cpuMs, maxRssMb, peakHeapMb }.
import { KintoneRestAPIClient } from "@kintone/rest-api-client";
import { fetchTransport, getAllRecords, iterateRecords } from "kintone-seek";

const { client, url, token, app, fields } = JSON.parse(process.argv[2]);

let peakHeap = 0;
const sample = () => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
};
// Every 10 ms: often enough to see the peak, rare enough to cost every client little.
const sampler = setInterval(sample, 10);

/** No library: the seek loop on Node's global fetch, as a floor for what fetch itself costs. */
async function bareFetch() {
  const list = fields.map((field, i) => `&fields[${i}]=${encodeURIComponent(field)}`).join("");
  const records = [];
  for (let last = 0; ;) {
    const query = `${last ? `$id > ${last} ` : ""}order by $id asc limit 500`;
    const response = await fetch(`${url}/k/v1/records.json?app=${app}&query=${encodeURIComponent(query)}${list}`, {
      headers: { "X-Cybozu-API-Token": token },
    });
    const page = JSON.parse(await response.text()).records;
    for (const record of page) records.push(record);
    if (page.length < 500) return records.length;
    last = page.at(-1).$id.value;
  }
}

const transport = fetchTransport({ baseUrl: url, apiToken: token });
const official = () => new KintoneRestAPIClient({ baseUrl: url, auth: { apiToken: token } });

const reads = {
  "seek": () => getAllRecords({ app, fields, transport, concurrency: 1 }).then((r) => r.length),
  "seek-c4": () => getAllRecords({ app, fields, transport, concurrency: 4 }).then((r) => r.length),
  "cursor": () => getAllRecords({ app, fields, transport, method: "cursor" }).then((r) => r.length),
  "official-seek": () => official().record.getAllRecords({ app, fields }).then((r) => r.length),
  "official-cursor": () => official().record.getAllRecordsWithCursor({ app, fields }).then((r) => r.length),
  "bare-fetch": bareFetch,
  // The default read, streamed: the records counted, not kept, as a stream's consumer would.
  "iterate": async () => {
    let count = 0;
    for await (const record of iterateRecords({ app, fields, transport })) if (record) count++;
    return count;
  },
  // Streams without keeping the records: the heap stays bounded by the pages in flight.
  "iterate-c4": async () => {
    let count = 0;
    for await (const record of iterateRecords({ app, fields, transport, concurrency: 4 })) {
      if (record) count++;
      if (count % 500 === 0) sample();
    }
    return count;
  },
};

const cpu = process.cpuUsage();
const started = performance.now();
const records = await reads[client]();
const wallMs = performance.now() - started;
const used = process.cpuUsage(cpu);
clearInterval(sampler);
sample();
console.log(JSON.stringify({
  records,
  wallMs,
  cpuMs: (used.user + used.system) / 1000,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  peakHeapMb: peakHeap / 1024 / 1024,
}));
