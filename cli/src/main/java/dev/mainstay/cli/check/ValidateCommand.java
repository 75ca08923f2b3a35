package dev.mainstay.cli.check;

import dev.mainstay.cli.command.Arguments;
import dev.mainstay.cli.command.Command;
import dev.mainstay.cli.command.Context;
import dev.mainstay.cli.command.ExitCode;
import dev.mainstay.cli.command.Option;
import dev.mainstay.cli.command.UsageException;
import java.util.List;

/** {@code mainstay validate FILES...}: parses each report here, as the appliance would, and says per file whether it can be uploaded. */
public final class ValidateCommand implements Command {

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public String usage() {
        return "FILES...";
    }

    @Override
    public String summary() {
        return "parse each report here, as the appliance would, and report per file";
    }

    @Override
    public List<Option> options() {
        return List.of();
    }

    @Override
    public boolean takesFiles() {
        return true;
    }

    @Override
    public int run(Context context, Arguments arguments) throws UsageException {
        List<LocalReport> reports = readAll(context, arguments);
        reports.forEach(r -> context.out().println(LocalReport.line(r)));
        return exitCode(reports).code();
    }

    /** Reads each file named on the command line, relative to the working directory. */
    static List<LocalReport> readAll(Context context, Arguments arguments) throws UsageException {
        if (arguments.positionals().isEmpty()) {
            throw new UsageException("name at least one report file");
        }
        return arguments.positionals().stream().map(name -> LocalReport.read(name, context.resolve(name))).toList();
    }

    /** OK when every report parsed, else INVALID_REPORT. */
    static ExitCode exitCode(List<LocalReport> reports) {
        return reports.stream().allMatch(r -> r instanceof LocalReport.Parsed) ? ExitCode.OK : ExitCode.INVALID_REPORT;
    }
}
