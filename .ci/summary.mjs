// Adds up Vitest JSON reports and prints the plain closing line "N passed, N failed".
// A missing or unreadable report counts as one failure: a run that produced no report did not pass.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0) + (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0);
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    console.log(`${file}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numTotalTestSuites} files`);
  } catch (e) {
    console.log(`${file}: 没有可读的测试报告（${e.message}）`);
    failed += 1;
  }
}
if (passed === 0) failed += 1; // a run that executed no test is not a pass
console.log(skipped ? `${passed} passed, ${failed} failed, ${skipped} skipped` : `${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
