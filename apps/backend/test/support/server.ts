// The throwaway servers live beside src (the bench starts them too).
export * from '../../harness/server.ts';
