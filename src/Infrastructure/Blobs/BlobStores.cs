namespace Payments.Actors.Infrastructure.Blobs;

/// <summary>Picks the blob store the configuration asks for: S3 when <c>Blobs:S3:Endpoint</c> is set, files otherwise.</summary>
public static class BlobStores
{
    /// <summary>The file store's directory when <c>Blobs:Directory</c> is empty.</summary>
    public static string DefaultDirectory(string? dataDirectory) =>
        Path.Combine(string.IsNullOrWhiteSpace(dataDirectory) ? "./.data" : dataDirectory, "blobs");

    public static IBlobStore Create(BlobOptions options, string? dataDirectory) =>
        string.IsNullOrWhiteSpace(options.S3.Endpoint)
            ? new FileBlobStore(string.IsNullOrWhiteSpace(options.Directory) ? DefaultDirectory(dataDirectory) : options.Directory)
            : S3BlobStore.Create(options.S3);
}
