using System.Reflection;
using System.Runtime.InteropServices;

namespace Payments.Actors.KafkaEmbedded.Mock;

/// <summary>
/// Finds the one librdkafka file this process uses, for Confluent.Kafka and for our own P/Invokes alike.
/// On Debian 12 the package's default <c>librdkafka.so</c> needs <c>libsasl2.so.3</c>, which is missing; Confluent.Kafka
/// then falls back to the self-contained <c>centos8-librdkafka.so</c> of the same package. Both loaders must agree:
/// the mock cluster lives inside the library instance that created it.
/// </summary>
public static class LibrdkafkaNative
{
    internal const string LibraryName = "librdkafka";
    private static readonly Lock Gate = new();
    private static string? _path;
    private static IntPtr _handle;

    /// <summary>The absolute path of the librdkafka file in use (loads it if needed).</summary>
    public static string Path => EnsureLoaded();

    /// <summary>
    /// Loads librdkafka once and returns its path. Confluent.Kafka loads first, with its own fallback (the default
    /// build, then centos8, then alpine); our P/Invokes then bind to the very file it mapped. Confluent's explicit
    /// <c>Library.Load(path)</c> cannot be used here: it P/Invokes <c>libdl</c>, which Debian 12 ships only as
    /// <c>libdl.so.2</c>. Idempotent and thread-safe.
    /// </summary>
    public static string EnsureLoaded()
    {
        lock (Gate)
        {
            if (_path is not null)
            {
                return _path;
            }

            // Any Library member runs Confluent's loader; it throws DllNotFoundException if no build loads.
            _ = Confluent.Kafka.Library.VersionString;
            var path = MappedLibrdkafka() ?? throw new DllNotFoundException(
                "Confluent.Kafka loaded librdkafka, but no librdkafka file is mapped in /proc/self/maps.");
            _handle = NativeLibrary.Load(path);
            _path = path;
            return path;
        }
    }

    internal static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LibraryName)
        {
            return IntPtr.Zero;
        }

        EnsureLoaded();
        return _handle;
    }

    /// <summary>The librdkafka file mapped into this process (Linux); dlopen of the same path returns the same instance.</summary>
    private static string? MappedLibrdkafka()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
        {
            return null;
        }

        foreach (var line in File.ReadLines(maps))
        {
            var slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                continue;
            }

            var file = line[slash..].Trim();
            if (System.IO.Path.GetFileName(file).EndsWith("librdkafka.so", StringComparison.Ordinal) || System.IO.Path.GetFileName(file).StartsWith("librdkafka.so.", StringComparison.Ordinal))
            {
                return file;
            }
        }

        return null;
    }
}
