// Host names of configured URLs and whether they are loopback: what decides
// if the backend can be reached from other machines.

/** 127.0.0.0/8, ::1 and localhost: the only hosts the development secret and the emulator are for. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

export const hostOfUrl = (url: string) => {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
};
