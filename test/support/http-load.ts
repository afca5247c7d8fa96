import { Agent, request } from 'node:http';

export interface LoadResponse {
  readonly status: number;
  readonly body: any;
}

/**
 * Sends many requests at once over a bounded pool of keep-alive sockets: every request is in flight
 * together, as a crowd of clerks would make them, without opening thousands of sockets.
 */
export function createLoadClient(baseUrl: string, sockets = 128) {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const url = new URL(baseUrl);
  const send = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    new Promise<LoadResponse>((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method,
          path,
          headers: {
            'Content-Type': 'application/json',
            ...(payload ? { 'Content-Length': payload.length } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {}
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  return { send, close: () => agent.destroy() };
}
