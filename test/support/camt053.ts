/** The bank-file writers live with the simulator, which drops such files every day; tests use the same ones. */
export * from '../../local/simulate/camt053.ts';
