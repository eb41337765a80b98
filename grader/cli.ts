/**
 * The command line: it only wires commands to the functions that do the work.
 */
import { Command, CommanderError, Option } from 'commander';
import { runCheck } from './commands/check';
import { runData } from './commands/data';
import { runDemo } from './commands/demo';
import { runGrade } from './commands/grade';
import { EXIT, UserError } from './errors';
import { log, setLevel } from './log';

const useColor = (): boolean => Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

function program(): Command {
  const cli = new Command('dnn-grader')
    .description('Checks and grades the neural-network homework (MLP, dropout, CNN on MNIST).')
    .option('-v, --verbose', 'more detail: every finding, and progress of each stage')
    .option('-q, --quiet', 'print only results and errors')
    .exitOverride()
    .showHelpAfterError()
    .hook('preAction', (command) => {
      const o = command.opts<{ verbose?: boolean; quiet?: boolean }>();
      setLevel(o.quiet ? 'error' : o.verbose ? 'debug' : 'info');
    });
  const verbose = (): boolean => Boolean(cli.opts<{ verbose?: boolean }>().verbose);

  cli
    .command('check')
    .description("check a student's dnn_misc.ts (and dnn_cnn_2.ts) function by function")
    .argument('[dir]', 'the folder holding dnn_misc.ts', '.')
    .option('-f, --function <name...>', 'only these functions, e.g. relu.backward')
    .option('--no-cnn2', 'skip the Q3.9 network check even when dnn_cnn_2.ts is there')
    .option('--json', 'print the verdicts as JSON')
    .option('--keep', 'keep the work directory (to inspect what the code wrote)')
    .action(
      async (
        dir: string,
        o: { function?: string[]; cnn2: boolean; json?: boolean; keep?: boolean },
      ) => {
        process.exitCode = await runCheck(dir, {
          functions: o.function,
          cnn2: o.cnn2,
          json: Boolean(o.json),
          keep: Boolean(o.keep),
          color: useColor(),
          verbose: verbose(),
        });
      },
    );

  cli
    .command('grade')
    .description('grade submissions: zips, submission folders, or folders of zips')
    .argument('<submission...>', 'Assignment_3_<first>_<last>.zip, a folder, or a folder of zips')
    .option('-o, --out <dir>', 'where the reports go', 'dnn-grader-reports')
    .option(
      '--rerun [questions]',
      "re-run the student's trainers (all, or e.g. Q3.3,Q3.6) and compare with the submitted files",
    )
    .addOption(
      new Option('--epochs <k>', 'with --rerun: only the first k epochs (default: all 30)'),
    )
    .option('--gradescope <file>', "also write Gradescope's results.json here (one submission)")
    .option('--json', 'print the scorecards as JSON instead of text')
    .option('--keep', 'keep the work directory')
    .action(
      async (
        submissions: string[],
        o: {
          out: string;
          rerun?: boolean | string;
          epochs?: string;
          gradescope?: string;
          json?: boolean;
          keep?: boolean;
        },
      ) => {
        process.exitCode = await runGrade(submissions, {
          out: o.out,
          rerun: o.rerun ?? false,
          epochs: o.epochs,
          gradescope: o.gradescope,
          json: Boolean(o.json),
          keep: Boolean(o.keep),
          color: useColor(),
          verbose: verbose(),
        });
      },
    );

  cli
    .command('demo')
    .description('grade the reference solution and the untouched handout, and show both scorecards')
    .option('--keep', 'keep the demo zips and work directory')
    .action(async (o: { keep?: boolean }) => {
      process.exitCode = await runDemo({
        color: useColor(),
        verbose: verbose(),
        keep: Boolean(o.keep),
      });
    });

  cli
    .command('data')
    .description('build (if needed) and verify mnist_subset.json; print its path and checksum')
    .option('--rebuild', 'build it again from the mnist package')
    .action((o: { rebuild?: boolean }) => {
      process.exitCode = runData({ rebuild: Boolean(o.rebuild) });
    });

  return cli;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UserError) {
      log.error(`dnn-grader: ${error.message}`);
      return error.exitCode;
    }
    log.error(
      `dnn-grader: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    log.error(
      'This is a bug in the grader, not in the submission; please report it with the command you ran.',
    );
    return EXIT.internal;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
