using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Payments.Actors.ApiFront.Auth;

/// <summary>
/// Loads the RSA signing key of the embedded token server from a PEM file, creating it on first use. Every
/// ApiFront process on a machine points at the same file, so a token issued by one is accepted by all.
/// </summary>
internal static class SigningKeyFile
{
    public const int KeySizeBits = 2048;

    /// <summary>Loads the key at <paramref name="path"/>, first creating it when the file does not exist.</summary>
    public static RsaSecurityKey LoadOrCreate(string path, ILogger logger)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            Create(fullPath, logger);
        }

        return Load(fullPath);
    }

    /// <summary>
    /// Two processes may start at the same moment and both find the file missing. Each writes its own key to a
    /// private temporary file and moves it into place without overwriting; the loser's move fails, it discards
    /// its key, and both then read the one file that won. Nobody ever reads a half-written key.
    /// </summary>
    private static void Create(string path, ILogger logger)
    {
        var directory = Path.GetDirectoryName(path) ?? throw new InvalidOperationException($"The signing key path '{path}' has no directory.");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var rsa = RSA.Create(KeySizeBits))
            {
                var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
                if (!OperatingSystem.IsWindows())
                {
                    // The mode is applied at creation, so the private key is never readable by others, not even briefly.
                    streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var stream = new FileStream(temporary, streamOptions);
                stream.Write(Encoding.ASCII.GetBytes(rsa.ExportPkcs8PrivateKeyPem()));
                stream.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
                AuthLog.SigningKeyCreated(logger, path);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process won the race; its key is the key.
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static RsaSecurityKey Load(string path)
    {
        var pem = File.ReadAllText(path);
        if (!PemEncoding.TryFind(pem, out var fields) || pem[fields.Label] is not ("PRIVATE KEY" or "RSA PRIVATE KEY"))
        {
            throw new InvalidOperationException($"The signing key file '{path}' does not hold a PEM 'PRIVATE KEY' or 'RSA PRIVATE KEY'.");
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (Exception exception) when (exception is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new InvalidOperationException($"The signing key file '{path}' is not a readable RSA private key.", exception);
        }

        if (rsa.KeySize < KeySizeBits)
        {
            var keySize = rsa.KeySize;
            rsa.Dispose();
            throw new InvalidOperationException($"The signing key in '{path}' has {keySize} bits; at least {KeySizeBits} are required.");
        }

        // A key id derived from the public key is the same in every process that reads the file, so the kid in a
        // token header always names the key that verifies it.
        var keyId = Base64Url.EncodeToString(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()));
        return new RsaSecurityKey(rsa) { KeyId = keyId };
    }
}
