// The inspector's entries: argument names only, values for a tool's safe
// fields alone, hostile names stored safely, outcomes read from answers.
import { describe, expect, it } from 'vitest';
import {
  answerOutcome,
  inspectedArguments,
  inspectedEntry,
  MAX_ARGUMENT_NAMES,
  requestLogKey,
  type ObservedRequest,
} from '../../src/inspector/request-log.ts';
import { POS_TOOLS } from '../../src/tools/pos-tools.ts';
import { ToolRegistry } from '../../src/tools/tool-registry.ts';

const registry = new ToolRegistry(POS_TOOLS);
const safe = (tool: string) => registry.get(tool)?.inspectableArguments;

const observed = (over: Partial<ObservedRequest> = {}): ObservedRequest => ({
  at: 1_700_000_000_000,
  method: 'tools/call',
  params: { name: 'get_product', arguments: { productId: 'p-1', sku: 'SKU-9' } },
  outcome: 'ok',
  durationMs: 3.14159,
  businessId: 'b1',
  ...over,
});

describe('inspectedArguments', () => {
  it('keeps names only, unless the tool marks a field safe to show', () => {
    expect(inspectedArguments({ search: 'secret text', category: 'Coffee' }, ['category'])).toEqual(
      [{ name: 'search' }, { name: 'category', value: '"Coffee"' }],
    );
    expect(inspectedArguments({ a: 1, b: true }, undefined)).toEqual([
      { name: 'a' },
      { name: 'b' },
    ]);
  });

  it('shows no value for an object in a safe field, and nothing for non-objects', () => {
    expect(inspectedArguments({ lines: [{ q: 1 }] }, ['lines'])).toEqual([{ name: 'lines' }]);
    expect(inspectedArguments('text', ['x'])).toEqual([]);
    expect(inspectedArguments(null, ['x'])).toEqual([]);
    expect(inspectedArguments([1, 2], ['0'])).toEqual([]);
  });

  it('stores hostile names safely: cut, lone surrogates and NUL replaced, __proto__ as a name', () => {
    const args = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as Record<string, unknown>;
    args['\u0000\ud800' + 'n'.repeat(500)] = 'v';
    const shown = inspectedArguments(args, ['__proto__']);
    expect(shown.map((a) => a.name)).toEqual(['__proto__', 'x', '\ufffd\ufffd' + 'n'.repeat(62)]);
    expect(shown[0]).not.toHaveProperty('value');
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('keeps at most MAX_ARGUMENT_NAMES names and cuts long safe values', () => {
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
    expect(inspectedArguments(many, [])).toHaveLength(MAX_ARGUMENT_NAMES);
    const [long] = inspectedArguments({ sku: 'x'.repeat(1000) }, ['sku']);
    expect(long?.value?.length).toBe(120);
  });
});

describe('inspectedEntry', () => {
  it('names the tool and shows the values of its safe arguments only', () => {
    expect(inspectedEntry(observed(), 'i-1', safe)).toEqual({
      at: 1_700_000_000_000,
      method: 'tools/call',
      tool: 'get_product',
      outcome: 'ok',
      durationMs: 3.14,
      instanceId: 'i-1',
      businessId: 'b1',
      arguments: [
        { name: 'productId', value: '"p-1"' },
        { name: 'sku', value: '"SKU-9"' },
      ],
    });
  });

  it('shows no value for a tool that marks none, nor for an unknown tool', () => {
    const intent = observed({
      params: { name: 'create_refund_intent', arguments: { orderId: 'o', reason: 'private' } },
    });
    expect(inspectedEntry(intent, 'i', safe).arguments).toEqual([
      { name: 'orderId' },
      { name: 'reason' },
    ]);
    const unknown = observed({ params: { name: 'nope\u0000', arguments: { productId: 'p' } } });
    expect(inspectedEntry(unknown, 'i', safe)).toMatchObject({
      tool: 'nope\ufffd',
      arguments: [{ name: 'productId' }],
    });
  });

  it('records other methods without tool or arguments; a non-string method as such', () => {
    const list = inspectedEntry(observed({ method: 'tools/list', params: {} }), 'i', safe);
    expect(list).not.toHaveProperty('tool');
    expect(list.arguments).toEqual([]);
    expect(inspectedEntry(observed({ method: 42 }), 'i', safe).method).toBe('(no method)');
    expect(inspectedEntry(observed({ method: 'm'.repeat(500) }), 'i', safe).method).toHaveLength(
      100,
    );
  });
});

describe('answerOutcome and keys', () => {
  it('reads an error code, a tool error or ok', () => {
    expect(answerOutcome({ jsonrpc: '2.0', id: 1, error: { code: -32602, message: 'x' } })).toEqual(
      { outcome: 'error', errorCode: -32602 },
    );
    expect(answerOutcome({ id: 1, result: { isError: true, content: [] } })).toEqual({
      outcome: 'tool_error',
    });
    expect(answerOutcome({ id: 1, result: {} })).toEqual({ outcome: 'ok' });
    expect(answerOutcome(undefined)).toEqual({ outcome: 'ok' });
  });

  it('keeps sessions and clients apart', () => {
    expect(requestLogKey({ sessionId: 's' })).toBe('session:s');
    expect(requestLogKey({ credential: 'key:k' })).toBe('client:key:k');
  });
});
