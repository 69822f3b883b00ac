/**
 * The worker-thread side of `yibao generate --workers N`: builds the world once from the run's ChunkSpec (its
 * workerData), then answers each ChunkJob with the chunk's text, handing the buffers over without a copy.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { transferables } from './chunk.js';
import { ChunkGenerator, type ChunkJob, type ChunkSpec } from './worker-gen.js';

const generator = new ChunkGenerator(workerData as ChunkSpec);
parentPort!.on('message', (job: ChunkJob) => {
  try {
    const result = generator.generate(job);
    parentPort!.postMessage({ ok: true, result }, transferables(result));
  } catch (e) {
    parentPort!.postMessage({ ok: false, index: job.index, message: (e as Error).message, stack: (e as Error).stack });
  }
});
