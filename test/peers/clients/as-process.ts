// One client of this folder as a process of its own, for verdicts that depend on how the fuzzer's
// frames arrive: in the test's own process the client could only read between the fuzzer's
// event-loop turns, never in the middle of one.
//   node dist/test/peers/clients/as-process.js <client> <fuzzingserver url> <agent> <case number>...
// <client> is a file name of this folder without extension (e.g. batch-reader).
const [name, baseUrl, agent, ...numbers] = process.argv.slice(2);
if (!name || !baseUrl || !agent || numbers.length === 0 || !/^[a-z0-9-]+$/.test(name)) {
  process.stderr.write('usage: as-process.js <client> <url> <agent> <case number>...\n');
  process.exit(2);
}
const client = (await import(`./${name}.js`)) as { run(baseUrl: string, cases: number[], agent: string): Promise<void> };
await client.run(baseUrl, numbers.map(Number), agent);
