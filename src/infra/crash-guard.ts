/**
 * The last line of defence of a server process: an error that escapes every handler (a rejected
 * promise nobody awaited, a throw in a timer) is logged and the process carries on serving.
 * Request errors never get here: Fastify's error handler answers them 500 problem+json.
 */
export function installCrashGuard(log: (message: string, error: unknown) => void): () => void {
  const onRejection = (reason: unknown) => log('unhandled promise rejection (the server keeps running)', reason);
  const onException = (error: Error) => log('uncaught exception (the server keeps running)', error);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
