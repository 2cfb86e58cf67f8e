import fc from 'fast-check';
import { TailscaleApiError } from '../../lib/tailscale/errors';
import { tailnetPathSegment } from '../../lib/tailscale/tailnet-name';

describe('tailnetPathSegment', () => {
  it.each([
    ['-', '-'],
    ['example.com', 'example.com'],
    ['alice@gmail.com', 'alice%40gmail.com'],
    ['octo.github', 'octo.github'],
    ['T1234CNTRL', 'T1234CNTRL'],
    ['tail-scale_1+x', 'tail-scale_1%2Bx'],
  ])('accepts %j as the path segment %j', (tailnet, segment) => {
    expect(tailnetPathSegment(tailnet, 'get policy')).toBe(segment);
  });

  it.each([[''], ['--'], ['../etc'], ['a/b'], ['a b'], ['a\nb'], ['.hidden'], ['x'.repeat(254)], [undefined], [42]])(
    'refuses %j with an invalid-argument error naming the field',
    (tailnet) => {
      const attempt = () => tailnetPathSegment(tailnet, 'get policy');
      expect(attempt).toThrow(TailscaleApiError);
      expect(attempt).toThrow(/tailnet: expected "-" or a tailnet name/);
    },
  );

  it('never yields a segment that could leave its place in the path', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (tailnet) => {
        let segment: string;
        try {
          segment = tailnetPathSegment(tailnet, 'get policy');
        } catch {
          return;
        }
        expect(segment).toMatch(/^[A-Za-z0-9._%-]+$/);
        expect(segment).not.toMatch(/^\.\.?$/);
      }),
    );
  });
});
