import { liveLogRows } from './live-logs.js';
const rows: string[][] = []; const notes: string[] = [];
await liveLogRows({ row: (...c) => void rows.push(c), note: (t) => void notes.push(t), log: (t) => void process.stderr.write(t + '\n') });
for (const r of rows) console.log(r.join(' | '));
for (const n of notes) console.log('- ' + n);
