using System.CommandLine;
using CustomerActors.Benchmarks.Baseline;
using CustomerActors.Benchmarks.Measurement;
using CustomerActors.Benchmarks.Scenarios;

// The load generator: one subcommand per scenario, JSON result on stdout, a human summary on stderr.
Report.Start();
var root = new RootCommand("CustomerActors load generator: drives a running platform and reports what it measured.");
root.Subcommands.Add(Commands.Ingest());
root.Subcommands.Add(Commands.Lookup());
root.Subcommands.Add(Commands.Latency());
root.Subcommands.Add(Commands.Memory());
root.Subcommands.Add(Commands.Restart());
root.Subcommands.Add(Commands.Ceiling());
root.Subcommands.Add(Commands.Micro());
root.Subcommands.Add(Commands.Summarize());
root.Subcommands.Add(Commands.GcPauses());
return await root.Parse(args).InvokeAsync();

internal static class Commands
{
    public static Command Ingest()
    {
        var (url, customers, seed) = Common();
        var events = new Option<int>("--events") { Description = "Events to send", DefaultValueFactory = _ => 500_000 };
        var batchSize = new Option<int>("--batch-size") { Description = "Events per request (at most 10,000)", DefaultValueFactory = _ => 5_000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight", DefaultValueFactory = _ => 4 };
        var baseline = new Option<string?>("--baseline") { Description = "PostgreSQL connection string: also apply the same stream one transaction per event, and report the ratio" };
        var baselineConnections = new Option<int>("--baseline-connections") { Description = "Connections of the baseline", DefaultValueFactory = _ => 16 };
        var rabbitMq = new Option<string?>("--rabbitmq") { Description = "AMQP URI of the broker the platform consumes: publish the stream to the customer-events exchange instead of posting batches" };
        var eventsPerMessage = new Option<int>("--events-per-message") { Description = "With --rabbitmq: events of one customer per message", DefaultValueFactory = _ => 1 };
        var inFlight = new Option<int>("--in-flight") { Description = "With --rabbitmq: unconfirmed messages at most", DefaultValueFactory = _ => 1_000 };
        var seedEvery = new Option<bool>("--seed-every-customer") { Description = "Customers in order instead of skewed: --events equal to --customers stores every customer once (for memory and restart)" };
        var command = new Command("ingest", "Maximum durable events/s over HTTP batches (and the per-event PostgreSQL baseline, side by side)")
        {
            url, customers, seed, events, batchSize, concurrency, baseline, baselineConnections, seedEvery, rabbitMq, eventsPerMessage, inFlight,
        };
        command.SetAction(async result =>
        {
            var settings = new IngestSettings(result.GetValue(url)!, result.GetValue(customers), result.GetValue(events), result.GetValue(batchSize),
                result.GetValue(concurrency), result.GetValue(seed), result.GetValue(seedEvery));
            var batches = IngestScenario.Generate(settings, "ing" + DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            if (result.GetValue(rabbitMq) is { Length: > 0 } brokerUri)
            {
                var broker = new Uri(brokerUri, UriKind.Absolute);
                var brokerSettings = new BrokerIngestSettings(settings.Url, broker, result.GetValue(eventsPerMessage), result.GetValue(inFlight));
                var figures = await BrokerIngestScenario.RunAsync(brokerSettings, batches);
                Report.Write("ingest-rabbitmq", new { settings, broker = brokerSettings with { Broker = new UriBuilder(broker) { UserName = "", Password = "" }.Uri } }, figures,
                    $"{figures.EventsPerSecond:N0} durable events/s over RabbitMQ ({figures.Messages:N0} messages acknowledged by the platform; the broker confirmed them at {figures.PublishedEventsPerSecond:N0} events/s)");
                return 0;
            }

            var ours = await IngestScenario.RunAsync(settings, batches);
            BaselineFigures? theirs = null;
            if (result.GetValue(baseline) is { Length: > 0 } connectionString)
            {
                theirs = await PostgresBaseline.RunAsync(connectionString, batches, result.GetValue(baselineConnections));
            }

            var ratio = theirs is null ? (double?)null : Math.Round(ours.EventsPerSecond / theirs.EventsPerSecond, 1);
            Report.Write("ingest", settings, new { platform = ours, baseline = theirs, ratio },
                $"{ours.EventsPerSecond:N0} events/s ({ours.Accepted:N0} accepted, {ours.Duplicates:N0} duplicates, {ours.FailedRequests} failed requests)"
                + (ours.Storage is { } storage
                    ? $"; the writer committed {storage.WriterBusyPercent}% of the time{(storage.WriterBusyPercent > 100 ? " (commits under way at once each count)" : "")}, {storage.WritesPerCommit:N0} writes a commit"
                        + (storage.DiskBytesWrittenPerEvent is { } bytes ? $", {bytes:N0} bytes written to disk per event" : "")
                    : "")
                + (theirs is null ? "" : $"; baseline {theirs.EventsPerSecond:N0} events/s; ratio {ratio}x"));
            return ours.FailedRequests == 0 ? 0 : 1;
        });
        return command;
    }

    public static Command Lookup()
    {
        var (url, customers, seed) = Common();
        var rate = new Option<int>("--rate") { Description = "Requests/s, scheduled open-loop; 0 = as fast as answered", DefaultValueFactory = _ => 0 };
        var duration = new Option<int>("--seconds") { Description = "How long", DefaultValueFactory = _ => 20 };
        var concurrency = new Option<int>("--concurrency") { Description = "Clients at maximum rate", DefaultValueFactory = _ => 32 };
        var warmup = new Option<int>("--warmup-seconds") { Description = "The same traffic first, not recorded", DefaultValueFactory = _ => 3 };
        var command = new Command("lookup", "GET of live state at a fixed rate or at maximum: req/s and latency percentiles") { url, customers, seed, rate, duration, concurrency, warmup };
        command.SetAction(async result =>
        {
            var settings = new LookupSettings(result.GetValue(url)!, result.GetValue(customers), result.GetValue(rate),
                TimeSpan.FromSeconds(result.GetValue(duration)), result.GetValue(concurrency), result.GetValue(seed), TimeSpan.FromSeconds(result.GetValue(warmup)));
            var figures = await LookupScenario.RunAsync(settings);
            Report.Write("lookup", settings, figures,
                $"{figures.RequestsPerSecond:N0} req/s, p50 {figures.Latency.P50Ms} ms, p99 {figures.Latency.P99Ms} ms, p99.9 {figures.Latency.P999Ms} ms, max {figures.Latency.MaxMs} ms ({figures.NotFound} not found, {figures.Failed} failed)");
            return figures.Failed == 0 ? 0 : 1;
        });
        return command;
    }

    public static Command Latency()
    {
        var (url, customers, seed) = Common();
        var rate = new Option<int>("--rate") { Description = "Background events/s", DefaultValueFactory = _ => 10_000 };
        var probes = new Option<int>("--probes-per-second") { Description = "Alert-raising probe events/s", DefaultValueFactory = _ => 20 };
        var duration = new Option<int>("--seconds") { Description = "How long", DefaultValueFactory = _ => 30 };
        var warmup = new Option<int>("--warmup-seconds") { Description = "The same traffic first, not recorded", DefaultValueFactory = _ => 5 };
        var command = new Command("latency", "Event -> alert on the SSE stream at a fixed event rate: p50 / p99 / p99.9 / max") { url, customers, seed, rate, probes, duration, warmup };
        command.SetAction(async result =>
        {
            var settings = new LatencySettings(result.GetValue(url)!, result.GetValue(customers), result.GetValue(rate), result.GetValue(probes),
                TimeSpan.FromSeconds(result.GetValue(duration)), result.GetValue(seed), TimeSpan.FromSeconds(result.GetValue(warmup)));
            var figures = await LatencyScenario.RunAsync(settings);
            var l = figures.EventToAlert;
            Report.Write("latency", settings, figures,
                $"at {figures.AchievedRate:N0} events/s: p50 {l.P50Ms} ms, p99 {l.P99Ms} ms, p99.9 {l.P999Ms} ms, max {l.MaxMs} ms ({figures.ProbesReceived}/{figures.ProbesSent} probes, {figures.FailedRequests} failed requests)");
            return figures.ProbesReceived == figures.ProbesSent ? 0 : 1;
        });
        return command;
    }

    public static Command Memory()
    {
        var (url, customers, _) = Common();
        var pid = new Option<int>("--pid") { Description = "Process id of the gateway (its resident set is read from /proc)", Required = true };
        var concurrency = new Option<int>("--concurrency") { Description = "Lookups in flight", DefaultValueFactory = _ => 16 };
        var command = new Command("memory", "Resident bytes per active customer: activate customers by looking them up, compare resident set and activations") { url, customers, pid, concurrency };
        command.SetAction(async result =>
        {
            var settings = new MemorySettings(result.GetValue(url)!, result.GetValue(pid), result.GetValue(customers), result.GetValue(concurrency));
            var figures = await MemoryScenario.RunAsync(settings);
            Report.Write("memory", settings, figures,
                $"{figures.BytesPerActivation:N0} bytes per activation ({figures.ActivationsAfter - figures.ActivationsBefore:N0} activated, resident {figures.ResidentBytesBefore / 1048576.0:N0} -> {figures.ResidentBytesAfter / 1048576.0:N0} MiB; "
                + $"anonymous memory only: {figures.AnonymousBytesPerActivation:N0} bytes per activation)");
            return 0;
        });
        return command;
    }

    public static Command Restart()
    {
        var gateway = new Option<string>("--gateway") { Description = "Path of CustomerActors.Gateway.dll", Required = true };
        var directory = new Option<string>("--workdir") { Description = "Working directory (its data/ is the store)", DefaultValueFactory = _ => Environment.CurrentDirectory };
        var runs = new Option<int>("--runs") { Description = "Starts to time", DefaultValueFactory = _ => 3 };
        var command = new Command("restart", "Time from process start to ready, and to the first answered lookup, on an existing store") { gateway, directory, runs };
        command.SetAction(async result =>
        {
            var settings = new RestartSettings(result.GetValue(gateway)!, result.GetValue(directory)!, result.GetValue(runs));
            var figures = await RestartScenario.RunAsync(settings);
            Report.Write("restart", settings, figures, $"ready after {figures.MedianReadyMs} ms, first lookup answered after {figures.MedianFirstLookupMs} ms (medians of {figures.Runs.Count})");
            return figures.Runs.Any(r => double.IsNaN(r.ReadyMs) || double.IsNaN(r.FirstLookupMs)) ? 1 : 0;
        });
        return command;
    }

    public static Command Ceiling()
    {
        var (_, customers, seed) = Common();
        var events = new Option<int>("--events") { Description = "Events of the measured stream", DefaultValueFactory = _ => 300_000 };
        var warmupEvents = new Option<int>("--warmup-events") { Description = "Events of the warm-up stream (another seed, not recorded) each stage runs first", DefaultValueFactory = _ => 150_000 };
        var batchSize = new Option<int>("--batch-size") { Description = "Events per batch", DefaultValueFactory = _ => 5_000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight in the transport stage", DefaultValueFactory = _ => 4 };
        var threads = new Option<int>("--threads") { Description = "Threads of the parse and policy stages", DefaultValueFactory = _ => Environment.ProcessorCount };
        var statelessSeconds = new Option<double>("--stateless-seconds") { Description = "The transport and parse stages repeat their stream until this many seconds have passed", DefaultValueFactory = _ => 3 };
        var command = new Command("ceiling", "What ingest could reach here doing only part of the platform's work per event: transport, parsing, the policy, a grain call's in-memory work")
        {
            customers, seed, events, warmupEvents, batchSize, concurrency, threads, statelessSeconds,
        };
        command.SetAction(async result =>
        {
            // The stages run in this process: under the gateway's collector (server), so that their CPU per event compares
            // with it. Restarted once at most: a runtime that ignores the setting runs the stages under its own.
            if (!System.Runtime.GCSettings.IsServerGC && Environment.GetEnvironmentVariable("DOTNET_gcServer") != "1")
            {
                return await Relaunch.UnderServerGcAsync();
            }

            var settings = new CeilingSettings(result.GetValue(customers), result.GetValue(events), result.GetValue(warmupEvents), result.GetValue(batchSize),
                result.GetValue(concurrency), result.GetValue(seed), result.GetValue(threads), result.GetValue(statelessSeconds));
            var figures = await CeilingScenario.RunAsync(settings);
            Report.Write("ceiling", settings, figures, string.Join("; ", figures.Stages.Select(s => $"{s.Stage} {s.EventsPerSecond:N0} events/s ({s.CpuMicrosecondsPerEvent} us CPU an event)"))
                + $"; at 150,000 events/s {Environment.ProcessorCount} cores give {CeilingFigures.BudgetMicroseconds(Environment.ProcessorCount, 150_000)} us an event");
            return 0;
        });
        return command;
    }

    public static Command Micro()
    {
        var rest = new Argument<string[]>("benchmarkdotnet-arguments") { Description = "Passed to BenchmarkDotNet, e.g. --filter '*' --job short", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("micro", "BenchmarkDotNet micro-benchmarks: policy evaluation per event, state serialization, group-commit batch write") { rest };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(result =>
        {
            BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Commands).Assembly)
                .Run([.. result.GetValue(rest) ?? [], .. result.UnmatchedTokens]);
            return 0;
        });
        return command;
    }

    public static Command Summarize()
    {
        var folder = new Argument<DirectoryInfo>("results") { Description = "Folder of result files named <result>-<run>.json (what series.sh writes)" }.AcceptExistingOnly();
        var command = new Command("summarize", "The figures of a series of results: each figure's median and every run's value, as a Markdown table") { folder };
        command.SetAction(result =>
        {
            Console.Out.Write(SeriesSummary.Summarize(result.GetValue(folder)!.FullName));
            return 0;
        });
        return command;
    }

    public static Command GcPauses()
    {
        var trace = new Argument<FileInfo>("trace") { Description = "A .nettrace file from dotnet-trace collect --profile gc-collect -p <gateway pid>" }.AcceptExistingOnly();
        var command = new Command("gc-pauses", "Every garbage collection of a trace: its pause and what it promoted, summed up by generation") { trace };
        command.SetAction(result =>
        {
            var file = result.GetValue(trace)!;
            var (collections, seconds) = CustomerActors.Benchmarks.Measurement.GcPauses.Read(file.FullName);
            var summary = CustomerActors.Benchmarks.Measurement.GcPauses.Summarize(collections, seconds);
            Report.Write("gc-pauses", new { trace = file.FullName }, new { summary, collections }, summary.Describe());
            return 0;
        });
        return command;
    }

    private static (Option<Uri> Url, Option<int> Customers, Option<int> Seed) Common() => (
        new Option<Uri>("--url")
        {
            Description = "The platform",
            DefaultValueFactory = _ => new Uri("http://127.0.0.1:5000"),

            // System.CommandLine has no converter for Uri: without this, a --url given on the command line failed to parse.
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                {
                    return uri;
                }

                result.AddError($"--url must be an absolute http(s) address, not '{text}'.");
                return null;
            },
        },
        new Option<int>("--customers") { Description = "Customers in the traffic model", DefaultValueFactory = _ => 100_000 },
        new Option<int>("--seed") { Description = "Seed of the traffic model", DefaultValueFactory = _ => 1 });
}
