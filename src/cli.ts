export async function main(argv: string[]): Promise<void> {
  process.stderr.write(`streamer: not implemented yet (${argv.join(' ')})\n`);
  process.exitCode = 1;
}
