// fauxqs behind the SQS front, as the local cloud runs them, for the tests of either.
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { startSqsFront, type SqsFront } from '../../src/sqs-message-moves';

export interface FauxqsBehindFront {
  fauxqs: FauxqsServer;
  front: SqsFront;
  /** fauxqs's own endpoint, past the front. */
  fauxqsEndpoint: string;
  stop(): Promise<void>;
}

export async function startFauxqsBehindFront(): Promise<FauxqsBehindFront> {
  const fauxqs = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  const fauxqsEndpoint = `http://127.0.0.1:${fauxqs.port}`;
  const front = await startSqsFront({
    target: fauxqsEndpoint,
    port: 'auto',
    use: { purpose: 'SQS front under test', setting: 'none' },
    log: () => undefined,
  });
  return {
    fauxqs,
    front,
    fauxqsEndpoint,
    async stop() {
      await front.stop();
      await fauxqs.stop();
    },
  };
}
