import { describe, expect, it } from 'vitest';
import { encodeComponent, formEncode, queryString } from '../../../adapters/http-task/url-encoding.js';

// DG:call-https-apis, "Applying URL-encoding on request body": {"array": ["a","b","c","d"]} in each ArrayFormat.
// AWS's list shows the brackets unencoded for reading; its example request (the Stripe invoice)
// shows what goes on the wire: brackets as %5B/%5D and spaces as %20.
describe('formEncode', () => {
  const body = { array: ['a', 'b', 'c', 'd'] };

  it('INDICES (the default) repeats the key with the index in brackets', () => {
    expect(formEncode(body, 'INDICES')).toBe('array%5B0%5D=a&array%5B1%5D=b&array%5B2%5D=c&array%5B3%5D=d');
  });

  it('REPEAT repeats the key', () => {
    expect(formEncode(body, 'REPEAT')).toBe('array=a&array=b&array=c&array=d');
  });

  it('COMMAS lists the values, comma-delimited, the commas encoded as AWS sends them', () => {
    // Recorded against AWS (2026-09): ["red green", "blue+gold"] went out as items=red%20green%2Cblue%2Bgold
    // (AWS's documentation shows array=a,b,c,d).
    expect(formEncode({ items: ['red green', 'blue+gold'] }, 'COMMAS')).toBe('items=red%20green%2Cblue%2Bgold');
    expect(formEncode(body, 'COMMAS')).toBe('array=a%2Cb%2Cc%2Cd');
    expect(formEncode({ array: ['x,y', 'z'] }, 'COMMAS')).toBe('array=x%2Cy%2Cz');
  });

  it('BRACKETS repeats the key with empty brackets', () => {
    expect(formEncode(body, 'BRACKETS')).toBe('array%5B%5D=a&array%5B%5D=b&array%5B%5D=c&array%5B%5D=d');
  });

  it("encodes AWS's Stripe example as its documented request body", () => {
    const invoice = { description: 'Monthly subscription', metadata: { order_details: 'monthly report data' }, customer: '1234567890' };
    expect(formEncode(invoice, 'INDICES')).toBe('description=Monthly%20subscription&metadata%5Border_details%5D=monthly%20report%20data&customer=1234567890');
  });

  it('writes numbers, booleans and null as text, nests objects in arrays, and leaves out empty arrays and objects', () => {
    expect(formEncode({ n: 1.5, t: true, z: null, none: [], empty: {} }, 'INDICES')).toBe('n=1.5&t=true&z=');
    expect(formEncode({ lines: [{ sku: 'a', qty: 2 }] }, 'INDICES')).toBe('lines%5B0%5D%5Bsku%5D=a&lines%5B0%5D%5Bqty%5D=2');
    expect(formEncode({ lines: [{ sku: 'a' }, { sku: 'b' }] }, 'COMMAS')).toBe('lines%5Bsku%5D=a&lines%5Bsku%5D=b');
  });
});

describe('encodeComponent and queryString', () => {
  it('percent-encode all but the unreserved characters of RFC 3986', () => {
    expect(encodeComponent("a b&c=d/é~-._!'()*")).toBe('a%20b%26c%3Dd%2F%C3%A9~-._%21%27%28%29%2A');
    expect(queryString([['currency', 'usd'], ['q', 'x y']])).toBe('currency=usd&q=x%20y');
  });
});
