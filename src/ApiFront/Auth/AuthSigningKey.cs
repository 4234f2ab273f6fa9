using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Payments.Actors.ApiFront.Auth;

/// <summary>
/// The one signing key of this process, loaded (or created) once on first use. The token server signs with it
/// and the JWT bearer handler verifies with it, so both always agree. Only registered in embedded mode.
/// </summary>
internal sealed class AuthSigningKey(IOptions<AuthOptions> options, ILogger<AuthSigningKey> logger)
{
    private readonly Lazy<RsaSecurityKey> _key = new(
        () => SigningKeyFile.LoadOrCreate(options.Value.SigningKeyPath!, logger),
        LazyThreadSafetyMode.ExecutionAndPublication);

    public RsaSecurityKey Key => _key.Value;
}
