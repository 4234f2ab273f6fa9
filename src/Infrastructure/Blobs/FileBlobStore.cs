using System.Runtime.InteropServices;

namespace Payments.Actors.Infrastructure.Blobs;

/// <summary>
/// Blobs as files under one directory (the key is the relative path). A put writes a temporary file beside the target,
/// flushes it to disk (fsync), renames it over the target (atomic: a reader sees the whole old file or the whole new
/// one, never a part) and fsyncs the directory, so the name is as durable as the bytes before the put returns. A crash
/// can leave a <c>*.tmp-*</c> file behind, never a partial blob.
/// </summary>
public sealed partial class FileBlobStore(string rootDirectory) : IBlobStore
{
    private const string TempMarker = ".tmp-";

    public string RootDirectory { get; } = Path.GetFullPath(rootDirectory);

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        var directory = Path.GetDirectoryName(path)!;
        var created = CreateDirectories(directory);
        var temp = path + TempMarker + Guid.NewGuid().ToString("N");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(content, cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        SyncDirectory(directory);
        foreach (var parent in created)
        {
            SyncDirectory(Path.GetDirectoryName(parent)!);
        }
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The file of a key; the key's shape (<see cref="BlobKeys"/>) keeps it under the root.</summary>
    public string PathOf(string key) => Path.Combine(RootDirectory, BlobKeys.Require(key).Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Creates the missing directories down to <paramref name="directory"/>; returns the ones it created, deepest last.</summary>
    private List<string> CreateDirectories(string directory)
    {
        var missing = new List<string>();
        for (var current = directory; !Directory.Exists(current) && current.Length >= RootDirectory.Length; current = Path.GetDirectoryName(current)!)
        {
            missing.Insert(0, current);
        }

        Directory.CreateDirectory(directory);
        return missing;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary file is never read as a blob.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    /// <summary>fsync of a directory, so that a rename or a new entry in it survives a power loss (Linux; elsewhere a no-op).</summary>
    private static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var descriptor = Open(directory, 0 /* O_RDONLY */);
        if (descriptor < 0)
        {
            throw new IOException($"Could not open directory {directory} to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
