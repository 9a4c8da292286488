/**
 * A language-server client for tests, over stdio: JSON-RPC 2.0 with the Content-Length framing of the Language
 * Server Protocol (https://microsoft.github.io/language-server-protocol/specifications/base/0.9/specification/).
 * Requests the server sends are answered by ON_REQUEST; notifications are kept, and `notification` waits for one.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

type Message = { id?: number | string; method?: string; params?: unknown; result?: unknown; error?: { message: string } };
type Waiter = { method: string; match: (params: unknown) => boolean; resolve: (params: unknown) => void };

export class LspClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();
  private readonly notifications: Message[] = [];
  private waiters: Waiter[] = [];
  stderr = '';

  constructor(command: string, args: string[], onRequest: (method: string, params: unknown) => unknown) {
    this.child = spawn(command, args, { stdio: 'pipe' });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (let message = this.take(); message; message = this.take()) this.dispatch(message, onRequest);
    });
    this.child.on('exit', (code, signal) => {
      for (const { reject } of this.pending.values()) reject(new Error(`the server exited (${code ?? signal}): ${this.stderr}`));
    });
  }

  /** The next whole message of the buffer, if there is one. */
  private take(): Message | undefined {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const length = Number(/Content-Length: *(\d+)/i.exec(this.buffer.subarray(0, end).toString('ascii'))?.[1]);
    if (this.buffer.length < end + 4 + length) return undefined;
    const body = this.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
    this.buffer = this.buffer.subarray(end + 4 + length);
    return JSON.parse(body) as Message;
  }

  private dispatch(message: Message, onRequest: (method: string, params: unknown) => unknown): void {
    if (message.method !== undefined && message.id !== undefined) {
      // a request from the server: an exception is the error answer
      try {
        this.write({ jsonrpc: '2.0', id: message.id, result: onRequest(message.method, message.params) ?? null });
      } catch (error) {
        this.write({ jsonrpc: '2.0', id: message.id, error: { code: -32603, message: (error as Error).message } });
      }
    } else if (message.method !== undefined) {
      this.notifications.push(message);
      const waiter = this.waiters.find((w) => w.method === message.method && w.match(message.params));
      if (waiter) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(message.params);
      }
    } else {
      const pending = this.pending.get(message.id as number);
      this.pending.delete(message.id as number);
      if (message.error) pending?.reject(new Error(message.error.message));
      else pending?.resolve(message.result);
    }
  }

  private write(message: object): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  request<T>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      this.write({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.write({ jsonrpc: '2.0', method, params });
  }

  /** The first notification METHOD whose params MATCH, received already or to come. */
  notification<T>(method: string, match: (params: T) => boolean = () => true): Promise<T> {
    const seen = this.notifications.find((n) => n.method === method && match(n.params as T));
    if (seen) return Promise.resolve(seen.params as T);
    return new Promise<T>((resolve) => {
      this.waiters.push({ method, match: match as (params: unknown) => boolean, resolve: resolve as (params: unknown) => void });
    });
  }

  /** shutdown, exit, and the process gone. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.request('shutdown', null).catch(() => undefined);
    this.notify('exit', null);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
