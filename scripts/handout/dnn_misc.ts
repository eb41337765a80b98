/**
 * Not part of the handout (make-template skips it): lets the root `tsc` resolve the
 * self-check's `./dnn_misc` here. In student-template/ the real dnn_misc.ts sits beside it.
 */
export * from '../../reference/dnn_misc';
