/*
 * Syntax of the Striate language. A file holds models and train blocks.
 *
 *   model SeedCnn {
 *       input image: [1, 28, 28]
 *       conv2d(32, kernel=3, activation=relu)     // a stack: consumes the previous value
 *       h = dense(image, 10) -> softmax           // a graph: named values, explicit inputs
 *       output h
 *   }
 *   train SeedCnn { optimizer = rmsprop(lr=0.001)  epochs = 5 }
 *
 * Labeled alternatives only, no embedded actions: the compiler builds its AST with a visitor.
 */
parser grammar StriateParser;

options { tokenVocab = StriateLexer; }

file
    : declaration* EOF
    ;

declaration
    : MODEL name=ID LBRACE statement* RBRACE        # ModelDeclaration
    | TRAIN model=ID LBRACE setting* RBRACE         # TrainDeclaration
    ;

statement
    : INPUT name=ID COLON shape=list                # InputStatement
    | OUTPUT ID (COMMA ID)*                         # OutputStatement
    | LABELS list                                   # LabelsStatement
    | target=ID ASSIGN chain                        # AssignStatement
    | chain                                         # LayerStatement
    ;

chain
    : call (ARROW call)*
    ;

call
    : op=ID (LPAREN arguments? RPAREN)?
    ;

arguments
    : argument (COMMA argument)* COMMA?
    ;

argument
    : name=ID ASSIGN value                          # KeywordArgument
    | value                                         # PositionalArgument
    ;

value
    : number (SLASH number)?                        # NumberValue
    | STRING                                        # StringValue
    | (TRUE | FALSE)                                # BoolValue
    | ID LPAREN arguments? RPAREN                   # CallValue
    | ID                                            # NameValue
    | list                                          # ListValue
    ;

number
    : MINUS? NUMBER
    ;

list
    : LBRACK (value (COMMA value)* COMMA?)? RBRACK
    ;

setting
    : key=ID ASSIGN value
    ;
