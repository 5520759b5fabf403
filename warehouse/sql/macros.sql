-- Small SQL helpers used by the methods and views.
-- ordinal(6) = '6th': how a rank reads in a committee report ("6th of 21 county councils").
CREATE OR REPLACE MACRO ordinal(n) AS
    n::VARCHAR || CASE WHEN n % 100 BETWEEN 11 AND 13 THEN 'th'
                       WHEN n % 10 = 1 THEN 'st' WHEN n % 10 = 2 THEN 'nd' WHEN n % 10 = 3 THEN 'rd'
                       ELSE 'th' END;
