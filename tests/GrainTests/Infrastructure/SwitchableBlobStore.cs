using Payments.Actors.Infrastructure.Blobs;

namespace Payments.Actors.GrainTests.Infrastructure;

/// <summary>The real file blob store in a scratch directory, with a switch that makes every put fail as a full or broken disk would.</summary>
public sealed class SwitchableBlobStore : IBlobStore, IDisposable
{
    private readonly FileBlobStore _files = new(Directory.CreateTempSubdirectory("pa-grain-blobs-").FullName);

    public bool Failing { get; set; }

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        Failing ? Task.FromException(new IOException("injected: the blob store refuses writes")) : _files.PutAsync(key, content, cancellationToken);

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) => _files.GetAsync(key, cancellationToken);

    public void Dispose() => Directory.Delete(_files.RootDirectory, recursive: true);
}
