// Host names of configured URLs: what decides, with core's one loopback rule,
// if the backend can be reached from other machines.
export { isLoopbackHost } from '@flowpos/core/loopback';

export const hostOfUrl = (url: string) => {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
};
