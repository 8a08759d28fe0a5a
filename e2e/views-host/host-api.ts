// What the views test host page offers the test, on its window (host.ts).
export interface Csp {
  connectDomains?: string[];
  resourceDomains?: string[];
}

/** What the host page offers the test (on its window). */
export interface HostPage {
  renderView(request: RenderRequest): Promise<void>;
  openedLinks: string[];
}

export interface RenderRequest {
  html: string;
  csp: Csp | undefined;
  theme: 'light' | 'dark';
  toolInput: Record<string, unknown>;
  /** The tools/call result, as the host received it. */
  toolResult: Record<string, unknown>;
}
