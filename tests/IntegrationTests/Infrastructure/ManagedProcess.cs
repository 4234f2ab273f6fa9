using System.Diagnostics;
using System.Text;

namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>One of our executables, started for real as a child process. Killing it is SIGKILL: a crash, not a shutdown.</summary>
public sealed class ManagedProcess : IAsyncDisposable
{
    private const int LogLinesMax = 400;
    private readonly Process _process;
    private readonly Queue<string> _log = new();

    private ManagedProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public static ManagedProcess Start(string name, string dllPath, string urls, IReadOnlyDictionary<string, string> environment)
    {
        if (!File.Exists(dllPath))
        {
            throw new FileNotFoundException($"{name} is not built at {dllPath}; run deploy/test.sh (it builds first).", dllPath);
        }

        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dllPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dllPath);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(urls);
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var managed = new ManagedProcess(process, name);
        process.OutputDataReceived += (_, e) => managed.Append(e.Data);
        process.ErrorDataReceived += (_, e) => managed.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    public string LogTail()
    {
        lock (_log)
        {
            return string.Join('\n', _log);
        }
    }

    /// <summary>Waits until <paramref name="url"/> answers 200; fails with the process's log if it dies or times out.</summary>
    public async Task WaitHealthyAsync(string url, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.Until(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before {url} answered.\n{LogTail()}");
            }

            try
            {
                using var response = await http.GetAsync(url);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false; // not listening yet
            }
            catch (TaskCanceledException)
            {
                return false; // listening but slow to answer while starting
            }
        }, timeout, () => $"{Name} answering 200 at {url}\n{LogTail()}");
    }

    /// <summary>SIGTERM: a graceful shutdown (a silo leaves the cluster cleanly); SIGKILL if it takes longer than <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    /// <summary>SIGKILL, then wait until the process is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Enqueue(line);
            while (_log.Count > LogLinesMax)
            {
                _log.Dequeue();
            }
        }
    }

    public override string ToString() => new StringBuilder(Name).Append(HasExited ? " (exited)" : " (running)").ToString();
}
