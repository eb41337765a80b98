/**
 * The files a submission `Assignment_3_<first>_<last>.zip` must hold (HOMEWORK.md, "The seven
 * runs" and "Rubric"). Every part of the grader takes the names from here.
 */

/** The two handout files the student edits; graders run them against pristine copies of the rest. */
export const STUDENT_CODE_FILES = ['dnn_misc.ts', 'dnn_cnn_2.ts'] as const;

/** One output file per training run, keyed by the homework question that asks for it. */
export const RUN_OUTPUT_FILES = [
  { question: 'Q3.3', file: 'MLP_lr0.01_m0.0_w0.0_d0.0.json' },
  { question: 'Q3.4', file: 'MLP_lr0.01_m0.0_w0.0_d0.5.json' },
  { question: 'Q3.5', file: 'MLP_lr0.01_m0.0_w0.0_d0.95.json' },
  { question: 'Q3.6', file: 'LR_lr0.01_m0.0_w0.0_d0.0.json' },
  { question: 'Q3.7', file: 'CNN_lr0.01_m0.0_w0.0_d0.5.json' },
  { question: 'Q3.8', file: 'CNN_lr0.01_m0.9_w0.0_d0.5.json' },
  { question: 'Q3.10', file: 'CNN2_lr0.001_m0.9_w0.0_d0.5.json' },
] as const;

/** One `Name, netid` per line, or `no discussion`. */
export const COLLABORATION_FILE = 'collaboration.txt';

/** Every file a submission must hold, in the order the homework lists them. */
export const SUBMISSION_FILES: readonly string[] = [
  ...STUDENT_CODE_FILES,
  ...RUN_OUTPUT_FILES.map((run) => run.file),
  COLLABORATION_FILE,
];

/** The submission's name without extension, e.g. `Assignment_3_Ada_Lovelace`. */
export const SUBMISSION_NAME_PATTERN = /^Assignment_3_([^_\s]+)_([^\s]+)$/;

/**
 * Handout files students may not modify. A submission may still contain copies; they are taken
 * out only to be compared with the pristine handout (and reported when they differ), never run.
 */
export const PROTECTED_FILES: readonly string[] = [
  'np.ts',
  'dnn_im2col.ts',
  'dnn_data.ts',
  'dnn_train.ts',
  'dnn_mlp.ts',
  'dnn_mlp_nonlinear.ts',
  'dnn_cnn.ts',
  'assignment3_dnn_check.ts',
  'q33.sh',
  'q34.sh',
  'q35.sh',
  'q36.sh',
  'q37.sh',
  'q38.sh',
  'q310.sh',
];
