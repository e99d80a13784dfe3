// The kernel's host-side API (the extension, the tests and the bench drive this). The kernel itself has three
// parts, one folder each: host/ (in the extension host), process/ (the forked kernel process), cell_thread/
// (the worker thread of that process that runs cells); see docs/ARCHITECTURE.md.
export * from './host/kernel';
