/*
 * Tokens of the Striate language (.cnn files).
 * Whitespace and newlines are insignificant: a statement ends where the next one begins.
 * Any character the lexer does not know becomes an ERROR_CHAR token so that the parser,
 * not the lexer, reports it with a position.
 */
lexer grammar StriateLexer;

MODEL  : 'model' ;
TRAIN  : 'train' ;
INPUT  : 'input' ;
OUTPUT : 'output' ;
LABELS : 'labels' ;
TRUE   : 'true' ;
FALSE  : 'false' ;

LBRACE : '{' ;
RBRACE : '}' ;
LPAREN : '(' ;
RPAREN : ')' ;
LBRACK : '[' ;
RBRACK : ']' ;
COMMA  : ',' ;
COLON  : ':' ;
ARROW  : '->' ;
ASSIGN : '=' ;
SLASH  : '/' ;
MINUS  : '-' ;

NUMBER
    : DIGITS ('.' DIGITS?)? EXPONENT?
    | '.' DIGITS EXPONENT?
    ;

// Any backslash pair is lexed so that an unknown escape such as \q is reported as such (by the
// compiler, which knows the valid ones: \" \\ \n \t), not as an unterminated string.
STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"' ;
// A string not closed on its line, as one token: reported once, and lexed in linear time (without
// it the lexer would rescan the rest of the line from every quote inside).
UNTERMINATED_STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* ;

ID : [a-zA-Z_] [a-zA-Z_0-9]* ;

LINE_COMMENT  : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS            : [ \t\r\n\f]+ -> skip ;

ERROR_CHAR : . ;

fragment DIGITS   : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? DIGITS ;
