/// The pages `digest serve` shows when it has no subscriber service to answer from (nothing could be read yet), and
/// the built-in wording of its problem pages: short, in Swedish and English, never empty.
public enum ServePages {
    /// A problem page for `status` without a loaded workspace, in both languages.
    public static func problem(_ status: Int) -> PageResponse {
        let swedish = problemText(status, .sv)
        let english = problemText(status, .en)
        return .html(
            status,
            """
            <!DOCTYPE html>
            <html lang="sv"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(status)</title>
            <style>body{font-family:Arial,Helvetica,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;\
            line-height:1.5;color:#1f2933}</style>
            </head><body><p>\(swedish)</p>
            <p lang="en">\(english)</p>
            </body></html>

            """
        )
    }

    /// The built-in sentence for `status` in `language`: a refused request (4xx) or a failure of the server (5xx).
    public static func problemText(_ status: Int, _ language: Language) -> String {
        switch (status < 500, language) {
        case (true, .sv): "Begäran kunde inte tas emot. Försök igen från länken i ditt nyhetsbrev."
        case (true, _): "The request could not be accepted. Try again from the link in your newsletter."
        case (false, .sv): "Sidan kan inte visas just nu. Försök igen om en stund."
        case (false, _): "The page cannot be shown right now. Please try again in a while."
        }
    }
}
