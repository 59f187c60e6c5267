/**
 * aws-local-stepfunctions 3.x declares Node 22 and calls `Promise.withResolvers` (Node 22+) in its
 * Task state. On Node 20 this installs a minimal equivalent; it must run before the peer is
 * imported. Stepwise processes never load it.
 */
if (typeof Promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers() {
      let resolve;
      let reject;
      const promise = new this((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
