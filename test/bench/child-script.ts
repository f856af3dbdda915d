/**
 * Load generators run as child processes, so that their CPU is not spent on the event loop of the
 * server being measured. A child gets its input as one JSON argument and answers with one JSON
 * line on stdout; its stderr (progress) goes straight to the terminal.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Runs `script` (a file name beside this one, compiled) with `input`; kills it after `timeoutMs`. */
export async function runChildScript<Result>(script: string, input: unknown, timeoutMs: number): Promise<Result> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(process.execPath, [path, JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${script} exited with ${code ?? 'a signal (timed out?)'}: ${output.slice(-2000)}`);
  const lastLine = output.trim().split('\n').at(-1) ?? '';
  return JSON.parse(lastLine) as Result;
}

export const childInput = <Input>(): Input => JSON.parse(process.argv[2] ?? '{}') as Input;

export const answerParent = (result: unknown): void => {
  process.stdout.write(`${JSON.stringify(result)}\n`);
};
