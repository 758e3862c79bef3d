import { afterEach, describe, expect, it, vi } from 'vitest';

// The SDK itself is mocked (no Snowflake account here): what the driver asks of it is checked
// against snowflake-sdk's documented connection options.
const sdk = vi.hoisted(() => ({
  options: [] as Record<string, unknown>[],
  connect: (done: (err: Error | undefined) => void) => done(undefined),
  destroyed: 0,
}));
vi.mock('snowflake-sdk', () => ({
  default: {
    configure: () => undefined,
    createConnection: (options: Record<string, unknown>) => {
      sdk.options.push(options);
      return {
        connect: (done: (err: Error | undefined) => void) => sdk.connect(done),
        destroy: (done: () => void) => {
          sdk.destroyed++;
          done();
        },
        execute: () => undefined,
        isUp: () => true,
      };
    },
  },
}));

const { sdkConnector } = await import('../../../src/adapters/snowflake/snowflake-driver.js');
const { MAX_ARRAY_BINDS } = await import('../../../src/adapters/snowflake/snowflake-bulk.js');
const settings = { account: 'myorg-acct', username: 'WRITEBACK_SVC', password: 'x', database: 'ANALYTICS' };

describe('Snowflake driver (mocked SDK)', () => {
  afterEach(() => {
    sdk.options.length = 0;
    sdk.destroyed = 0;
    sdk.connect = (done) => done(undefined);
    vi.useRealTimers();
  });

  it('mocked: keeps sessions alive, and login_timeout never becomes the SDK request timeout', async () => {
    await sdkConnector({ ...settings, loginTimeout: 30 })();
    expect(sdk.options[0]).toMatchObject({ clientSessionKeepAlive: true, application: 'writeback' });
    expect(sdk.options[0]).not.toHaveProperty('timeout');
  });

  it('mocked: every session, a re-opened one too, is tagged (QUERY_TAG) and keeps array binds inline up to the bulk chunk size', async () => {
    const connect = sdkConnector({ ...settings, queryTag: 'writeback demo prod' });
    const first = await connect();
    await connect();
    for (const options of sdk.options) expect(options).toMatchObject({ queryTag: 'writeback demo prod', arrayBindingThreshold: MAX_ARRAY_BINDS, clientSessionKeepAlive: true });
    expect(first.isUp?.()).toBe(true);
  });

  it('mocked: a login that does not answer within login_timeout fails naming the account and the setting', async () => {
    vi.useFakeTimers();
    sdk.connect = () => undefined; // the login never answers
    const opening = sdkConnector({ ...settings, loginTimeout: 5 })();
    const failed = expect(opening).rejects.toThrow("could not log in to Snowflake account 'myorg-acct' within login_timeout (5 s)");
    await vi.advanceTimersByTimeAsync(5_000);
    await failed;
    expect(sdk.destroyed).toBe(1);
  });

  it('mocked: a login error is passed on as it is', async () => {
    sdk.connect = (done) => done(new Error('Incorrect username or password was specified.'));
    await expect(sdkConnector(settings)()).rejects.toThrow('Incorrect username or password');
  });
});
