import { request } from 'node:http';

export interface Exchange {
  readonly status: number;
  readonly etag?: string;
  readonly text: string;
}

/** One plain node:http request and its whole answer: the leanest client there is, for baselines and naive tools. */
export function exchange(url: string, method: 'GET' | 'POST', headers: Record<string, string>, body?: string): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const etag = res.headers.etag;
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), ...(etag === undefined ? {} : { etag }) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
