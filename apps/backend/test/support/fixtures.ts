// The throwaway data lives beside src (the bench creates it too).
export * from '../../harness/fixtures.ts';
