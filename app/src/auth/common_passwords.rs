//! A short deny-list of the passwords people pick most often, after NIST SP
//! 800-63B §5.1.1.2 ("passwords obtained from previous breach corpuses").
//! Every entry is at least eight characters, because shorter ones already
//! fail the length rule.

const COMMON_PASSWORDS: &[&str] = &[
    "password", "password1", "password12", "password123", "password1234", "passw0rd",
    "p@ssw0rd", "p@ssword", "12345678", "123456789", "1234567890", "0987654321",
    "11111111", "00000000", "12341234", "87654321", "qwertyui", "qwertyuiop",
    "qwerty123", "qwerty1234", "1q2w3e4r", "1q2w3e4r5t", "1qaz2wsx", "zaq12wsx",
    "asdfghjk", "asdfghjkl", "zxcvbnm1", "abcd1234", "abc12345", "abcdefgh",
    "iloveyou", "iloveyou1", "sunshine", "princess", "football", "baseball",
    "welcome1", "welcome123", "letmein1", "trustno1", "superman", "starwars",
    "whatever", "computer", "internet", "michelle", "jennifer", "corvette",
    "mercedes", "liverpool", "chelsea1", "arsenal1", "iloveyou2", "qazwsxedc",
    "changeme", "changeme1", "administrator", "admin123", "admin1234", "default1",
    "secret123", "monkey123", "dragon123", "shadow123", "master123", "football1",
    "baseball1", "aa123456", "a1234567", "q1w2e3r4", "q1w2e3r4t5", "1234qwer",
    "qwer1234", "pass1234", "test1234", "testtest", "flashcard", "flashcards",
    "engram123", "anki1234",
];

/// Whether `password` is on the deny-list, ignoring case.
pub fn is_common(password: &str) -> bool {
    let lowered = password.to_lowercase();
    COMMON_PASSWORDS.contains(&lowered.as_str())
}
